"""After a year's official working-day table is loaded, every open deadline is
computed again from its stored inputs; each one that moves is noted in its
subject's audit stream (case or batch) with the old and new due instant.

An ``escalated`` deadline (a provisional due that passed and only told staff)
becomes pending again once it is no longer provisional; if its official due has
passed too, it fires at once, in the same transaction, as the scheduler would
fire it: the adverse action it held back (relisting, closing a phase) happens
then, once."""

from dataclasses import dataclass

from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import recompute
from credit_repair.workflow.firing import fire_in
from credit_repair.workflow.model import ESCALATED, PENDING, Actor, DeadlineData
from credit_repair.workflow.ports import UnitOfWork
from credit_repair.workflow.publication import deadline_facts
from credit_repair.workflow.transitions import record_note

MACHINES = ("commitment", "instant", "batch")


@dataclass(frozen=True)
class Recomputed:
    """One open deadline whose due instant or status changed; ``fired`` is the
    event it sent when its recomputed due had already passed."""

    deadline_id: int
    subject: str
    kind: str
    old_due_at: str
    new_due_at: str
    provisional: bool
    status: str = PENDING
    fired: str | None = None

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def recompute_open_deadlines(wf: Workflow, actor: Actor) -> list[Recomputed]:
    """Recompute every open deadline on ``wf.calendar``, in one transaction."""
    now = wf.clock.now()
    changed = []
    with wf.unit_of_work() as uow:
        for deadline in uow.deadlines.unsettled(MACHINES):
            result = _recompute(wf, uow, deadline, actor, now)
            if result is not None:
                changed.append(result)
        uow.commit()
    return changed


def _recompute(
    wf: Workflow, uow: UnitOfWork, deadline: DeadlineData, actor: Actor, now
) -> Recomputed | None:
    due = recompute(wf.calendar, deadline.inputs)
    rearmed = deadline.status == ESCALATED and not due.provisional
    if not rearmed and (due.due_at, due.provisional, due.calendar_version) == (
        deadline.due_at,
        deadline.provisional,
        deadline.calendar_version,
    ):
        return None
    subject, store = _subject(uow, deadline)  # locked before its deadline
    status = PENDING if rearmed else deadline.status
    uow.deadlines.reschedule(deadline.id, due, status)
    old = deadline.due_at.isoformat()
    payload = {"deadline_id": deadline.id, "kind": deadline.kind, "old_due_at": old}
    if rearmed:
        payload["rearmed"] = True
    record_note(
        uow,
        subject,
        "deadline_recomputed",
        actor,
        now,
        payload | {"new": deadline_facts(due)},
        store=store,
    )
    fired = None
    if rearmed and due.due_at <= now:  # a pending one waits for the next sweep
        fired = fire_in(wf, uow, deadline.id, now)
    return Recomputed(
        deadline.id,
        subject.stream,
        deadline.kind,
        old,
        due.due_at.isoformat(),
        due.provisional,
        status,
        fired,
    )


def _subject(uow: UnitOfWork, deadline: DeadlineData):
    """The case or batch a deadline belongs to, locked, and the store it is in."""
    if deadline.machine == "batch":
        return uow.batches.get(deadline.subject_id, lock=True), uow.batches
    return uow.cases.get(deadline.subject_id), uow.cases
