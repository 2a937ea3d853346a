"""Checks on what applicants and staff send with an action: the receipt time, free
text inputs, the actor's role, and the facts of a document kept in the audit log."""

from collections.abc import Sequence
from datetime import datetime

from credit_repair.workflow.errors import Forbidden, InvalidInput
from credit_repair.workflow.model import Actor, DocumentData

#: Channels whose applications keep the time they really arrived, given by whoever
#: enters them: an e-mail's own time, or a letter handed to staff (``intake``)
#: and entered later. A website application is received when it arrives.
DATED_CHANNELS = ("email", "intake")


def receipt_time(
    channel: str, channels: Sequence[str], received_at: datetime | None, now: datetime
) -> datetime:
    """When an application arrived: now, or for a dated channel (e-mail, staff
    intake) its own past, zoned time."""
    problems = {}
    if channel not in channels:
        problems["channel"] = f"{channel!r} is not one of {', '.join(channels)}"
    if received_at is not None:
        problem = _receipt_problem(channel, received_at, now)
        if problem:
            problems["received_at"] = problem
    if problems:
        raise InvalidInput(problems)
    return received_at or now


def _receipt_problem(channel: str, received_at: datetime, now: datetime):
    if channel not in DATED_CHANNELS:
        return (
            f"a {channel} application is received when it arrives; give a "
            f"receipt time only for {' or '.join(DATED_CHANNELS)}"
        )
    if received_at.utcoffset() is None:
        return "needs a time zone offset, e.g. +08:00"
    if received_at > now:
        return f"{received_at.isoformat()} is in the future"
    return None


def text_input(inputs: dict, name: str) -> str | None:
    """An optional free-text input, stripped; None when absent or blank."""
    value = inputs.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidInput({name: "must be text"})
    return value.strip() if value and value.strip() else None


def require_role(actor: Actor, *roles: str) -> None:
    """Refuse an actor whose role is not one of ``roles``."""
    if actor.role not in roles:
        raise Forbidden(actor.label, f"this action needs role {' or '.join(roles)}")


def document_fact(document: DocumentData) -> dict:
    """What the audit log keeps of a document: kind, name, size and SHA-256."""
    return {
        "kind": document.kind,
        "name": document.name,
        "size": document.size,
        "sha256": document.sha256,
    }
