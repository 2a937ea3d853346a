"""After a year's official working-day table is loaded, every open deadline is
computed again from its stored inputs; each one that moves is noted in its case's
audit stream with the old and new due instant."""

from dataclasses import dataclass

from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import recompute
from credit_repair.workflow.model import Actor
from credit_repair.workflow.publication import deadline_facts
from credit_repair.workflow.transitions import record_note

CASE_MACHINES = ("commitment", "instant")


@dataclass(frozen=True)
class Recomputed:
    """One open deadline whose due instant or status changed."""

    deadline_id: int
    subject: str
    kind: str
    old_due_at: str
    new_due_at: str
    provisional: bool

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def recompute_open_deadlines(wf: Workflow, actor: Actor) -> list[Recomputed]:
    """Recompute every pending case deadline on ``wf.calendar``, in one transaction."""
    now = wf.clock.now()
    changed = []
    with wf.unit_of_work() as uow:
        for deadline in uow.deadlines.pending(CASE_MACHINES):
            due = recompute(wf.calendar, deadline.inputs)
            if (due.due_at, due.provisional, due.calendar_version) == (
                deadline.due_at,
                deadline.provisional,
                deadline.calendar_version,
            ):
                continue
            uow.deadlines.reschedule(deadline.id, due)
            case = uow.cases.get(deadline.subject_id)
            old = deadline.due_at.isoformat()
            record_note(
                uow,
                case,
                "deadline_recomputed",
                actor,
                now,
                {"deadline_id": deadline.id, "kind": deadline.kind, "old_due_at": old}
                | {"new": deadline_facts(due)},
            )
            changed.append(
                Recomputed(
                    deadline.id,
                    case.stream,
                    deadline.kind,
                    old,
                    due.due_at.isoformat(),
                    due.provisional,
                )
            )
        uow.commit()
    return changed
