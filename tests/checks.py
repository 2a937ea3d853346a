"""Checks every test that drives a case ends with: the chain verifies and replays."""

from sqlalchemy import select

from credit_repair.persistence import audit_trail
from credit_repair.persistence.tables import (
    Notification,
    PenaltyRecord,
    PublicationChange,
)


def assert_log_consistent(engine) -> None:
    """Every stream's chain is intact and replays to the stored state."""
    verified = audit_trail.verify(engine)
    assert verified.ok, [str(p) for p in verified.problems]
    replayed = audit_trail.replay_all(engine)
    assert replayed.ok, replayed.differences


def feed(engine, penalty_id: int) -> list[str]:
    """The publication-change actions for one record, in order."""
    table = PublicationChange.__table__
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(table.c.action)
                .where(table.c.penalty_id == penalty_id)
                .order_by(table.c.seq)
            ).scalars()
        )


def is_published(engine, penalty_id: int) -> bool:
    table = PenaltyRecord.__table__
    with engine.connect() as conn:
        return conn.execute(
            select(table.c.is_published).where(table.c.id == penalty_id)
        ).scalar_one()


def notices(engine, recipient: str) -> list[str]:
    """Kinds of the notifications sent to ``recipient``, in order."""
    table = Notification.__table__
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(table.c.kind)
                .where(table.c.recipient == recipient)
                .order_by(table.c.id)
            ).scalars()
        )


def notice_texts(engine, recipient: str) -> list[str]:
    """Texts of the notifications sent to ``recipient``, in order."""
    table = Notification.__table__
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(table.c.text)
                .where(table.c.recipient == recipient)
                .order_by(table.c.id)
            ).scalars()
        )
