"""What happens when the upper level has not answered a forwarded instant-repair
case in time (fired by the scheduler): the case is flagged for the office."""

from datetime import datetime

from credit_repair.workflow import notices
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.instant_effects import local_end
from credit_repair.workflow.model import SCHEDULER, DeadlineData
from credit_repair.workflow.ports import UnitOfWork
from credit_repair.workflow.transitions import decide, record_transition


def fire(wf: Workflow, uow: UnitOfWork, deadline: DeadlineData, now: datetime) -> str:
    """Flag the case and tell the office; the case stays forwarded."""
    case = uow.cases.get(deadline.subject_id)
    target = decide(case, "flag_overdue", {})
    case.escalated_at = now
    facts = {
        "deadline": {
            "id": deadline.id,
            "kind": deadline.kind,
            "due_at": deadline.due_at.isoformat(),
            "provisional": deadline.provisional,
        }
    }
    record_transition(uow, case, "flag_overdue", target, SCHEDULER, now, {}, facts)
    notices.send(
        uow,
        "upper_level_overdue",
        notices.OFFICE,
        case.stream,
        now,
        {"deadline_id": deadline.id, "kind": deadline.kind},
        case_id=case.id,
        due=local_end(deadline.due_at),
    )
    return "flag_overdue"
