"""Firing a stored deadline, whatever machine it belongs to. Idempotent: a deadline
fires at most once, and one whose subject moved on changes nothing."""

from collections.abc import Callable

from credit_repair.workflow import (
    batch_deadlines,
    commitment_deadlines,
    instant_deadlines,
)
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.errors import TransitionNotAllowed
from credit_repair.workflow.ports import UnitOfWork

FIRERS: dict[str, Callable] = {
    "commitment": commitment_deadlines.fire,
    "instant": instant_deadlines.fire,
    "batch": batch_deadlines.fire,
}


def fire_deadline(wf: Workflow, deadline_id: int) -> str | None:
    """Claim and act on one due deadline in one transaction; the event sent,
    ``"no_effect"`` when the subject had moved on, None when not claimable."""
    now = wf.clock.now()
    with wf.unit_of_work() as uow:
        outcome = fire_in(wf, uow, deadline_id, now)
        if outcome is None:
            return None
        uow.commit()
    return outcome


def fire_in(wf: Workflow, uow: UnitOfWork, deadline_id: int, now) -> str | None:
    """:func:`fire_deadline` inside the caller's unit of work, which commits."""
    deadline = uow.deadlines.claim(deadline_id, now)
    if deadline is None:
        return None
    try:
        return FIRERS[deadline.machine](wf, uow, deadline, now)
    except TransitionNotAllowed:
        return "no_effect"
