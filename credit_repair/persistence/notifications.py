"""Notifications as their recipients read them, and their optional delivery by
e-mail: each pending row is claimed, sent once, and marked sent or failed."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import Connection, Engine, select, update

from credit_repair.persistence.stores.outbox import NOTIFICATION

SUBJECT = "昆明市信用修复通知"


class Sender(Protocol):
    """Where e-mail goes: an address for a recipient, and sending one message."""

    def address_of(self, recipient: str, payload: dict) -> str | None:
        """The e-mail address of ``recipient``, or None when it has none."""

    def send(self, to: str, subject: str, body: str) -> None:
        """Send one message; raises on failure."""


@dataclass
class DeliveryReport:
    """What one delivery run did, by outcome."""

    sent: int = 0
    failed: int = 0
    unaddressed: int = 0


def notifications(
    conn: Connection,
    recipient: str | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[dict]:
    """Notifications (of ``recipient``, or all) with an id above ``after_id``,
    oldest first: page on by passing the last id seen."""
    query = (
        select(NOTIFICATION)
        .where(NOTIFICATION.c.id > after_id)
        .order_by(NOTIFICATION.c.id)
        .limit(max(1, min(limit, 1000)))
    )
    if recipient is not None:
        query = query.where(NOTIFICATION.c.recipient == recipient)
    return [dict(row._mapping) for row in conn.execute(query)]


def deliver_pending(
    engine: Engine,
    sender: Sender,
    now: Callable[[], datetime] | None = None,
    limit: int = 100,
) -> DeliveryReport:
    """E-mail up to ``limit`` pending notifications, oldest first; one without an
    address is marked ``unaddressed``, one the server refused ``failed``."""
    now = now or (lambda: datetime.now(UTC))
    report = DeliveryReport()
    with engine.connect() as conn:
        pending = conn.execute(
            select(NOTIFICATION)
            .where(NOTIFICATION.c.status == "pending")
            .order_by(NOTIFICATION.c.id)
            .limit(limit)
        ).all()
    for row in pending:
        address = sender.address_of(row.recipient, row.payload or {})
        if address is None:
            report.unaddressed += _mark(engine, row.id, "pending", "unaddressed")
            continue
        if not _mark(engine, row.id, "pending", "sending"):
            continue  # another process took it
        subject = f"{SUBJECT}（{row.stream}）" if row.stream else SUBJECT
        try:
            sender.send(address, subject, row.text)
        except Exception as exc:
            _mark(engine, row.id, "sending", "failed", delivery_error=str(exc)[:2000])
            report.failed += 1
            continue
        _mark(engine, row.id, "sending", "sent", delivered_at=now())
        report.sent += 1
    return report


def _mark(engine: Engine, notification_id: int, old: str, new: str, **values) -> int:
    """Move one row from status ``old`` to ``new`` in its own transaction."""
    with engine.begin() as conn:
        return conn.execute(
            update(NOTIFICATION)
            .where(NOTIFICATION.c.id == notification_id, NOTIFICATION.c.status == old)
            .values(status=new, **values)
        ).rowcount
