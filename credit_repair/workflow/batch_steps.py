"""The steps batch use cases are made of: moving many items with one event (the
item machine decides the target once for their common source state; storage
applies it set-based with one audit row per item), recording a batch transition,
and checking roles."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from statemachine.exceptions import TransitionNotAllowed as MachineRefused

from credit_repair.workflow.batch_model import (
    ITEM_MACHINE,
    REASON_TEXT,
    BatchData,
    ExclusionReason,
    ItemChange,
    ItemSelection,
)
from credit_repair.workflow.errors import Forbidden, TransitionNotAllowed
from credit_repair.workflow.machines import allowed_events, restore
from credit_repair.workflow.model import Actor
from credit_repair.workflow.ports import UnitOfWork
from credit_repair.workflow.transitions import record_transition


def decide_items(source: str, event: str, guards: dict[str, Any], subject: str) -> str:
    """The state ``event`` leads items in ``source`` to; raises
    ``TransitionNotAllowed`` naming ``subject`` when it leads nowhere."""
    machine = restore(ITEM_MACHINE, source, subject)
    allowed = allowed_events(machine)
    try:
        machine.send(event, **guards)
    except MachineRefused:
        raise TransitionNotAllowed(subject, event, source, allowed) from None
    return machine.current_state_value


def move_items(
    uow: UnitOfWork,
    batch: BatchData,
    source: str,
    event: str,
    actor: Actor,
    at: datetime,
    *,
    guards: dict[str, Any] | None = None,
    reason: ExclusionReason | None = None,
    reason_text: str | None = None,
    columns: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
    item_ids: Iterable[int] | None = None,
    marked_only: bool = False,
    department_id: int | None = None,
) -> int:
    """Send ``event`` to the batch's items in ``source`` (only ``item_ids``, or
    one department's, when given); an exclusion stores its reason code and text.
    Returns how many moved."""
    guards = dict(guards or {})
    subject = f"{batch.label} items in state {source}"
    target = decide_items(source, event, guards, subject)
    columns = dict(columns or {})
    payload = dict(payload or {})
    if reason is not None:
        text = reason_text or REASON_TEXT[reason]
        columns |= {"exclusion_code": str(reason), "exclusion_text": text}
        payload["reason"] = {"code": str(reason), "text": text}
    change = ItemChange(
        event=event,
        source=source,
        target=target,
        actor=actor,
        at=at,
        regime=batch.regime,
        regime_version=batch.regime_version,
        guards=guards,
        payload=payload,
        columns=columns,
    )
    ids = None if item_ids is None else tuple(item_ids)
    if ids == ():
        return 0
    selection = ItemSelection(batch.id, ids, marked_only, department_id)
    return uow.batches.transition(selection, change)


def require_role(actor: Actor, *roles: str) -> None:
    """Refuse an actor whose role is not one of ``roles``."""
    if actor.role not in roles:
        raise Forbidden(actor.label, f"this action needs role {' or '.join(roles)}")


def record_batch(
    uow: UnitOfWork,
    batch: BatchData,
    event: str,
    target: str,
    actor: Actor,
    at: datetime,
    payload: dict[str, Any],
) -> None:
    """Store the batch in ``target`` and append its audit row; batch events take
    no guard inputs."""
    record_transition(
        uow, batch, event, target, actor, at, {}, payload, store=uow.batches
    )
