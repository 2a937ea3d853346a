"""What happens when a commitment-repair deadline passes (fired by the scheduler)."""

from datetime import datetime, timedelta

from credit_repair.workflow import commitment_effects as effects
from credit_repair.workflow import notices
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import working_days_after
from credit_repair.workflow.model import SCHEDULER, CaseData, DeadlineData
from credit_repair.workflow.ports import UnitOfWork
from credit_repair.workflow.publication import deadline_facts, schedule
from credit_repair.workflow.transitions import decide, record_transition

MACHINE = "commitment"
_OFFICE = "office"
_JUST_BEFORE = timedelta(microseconds=1)


def fire(wf: Workflow, uow: UnitOfWork, deadline: DeadlineData, now: datetime) -> str:
    """Act on a claimed deadline; returns the event sent to the case."""
    case = uow.cases.get(deadline.subject_id)
    facts = {"deadline": _stored_facts(deadline)}
    if deadline.kind == "training_proof" and not deadline.provisional:
        target = decide(case, "expire_proof", {})
        record_transition(uow, case, "expire_proof", target, SCHEDULER, now, {}, facts)
        effects.relist_and_bar(uow, case, "培训证明和信用修复报告未按时提交", now)
        return "expire_proof"

    target = decide(case, "escalate", {})
    if deadline.kind in ("department_answer", "department_reminder"):
        facts["next_reminder"] = _next_reminder(wf, uow, case, deadline, now)
    case.escalated_at = now
    record_transition(uow, case, "escalate", target, SCHEDULER, now, {}, facts)
    _tell_about_escalation(uow, case, deadline, now)
    return "escalate"


def _next_reminder(wf, uow, case: CaseData, deadline: DeadlineData, now) -> dict:
    """The department is reminded at the end of each following working day."""
    start = deadline.due_at - _JUST_BEFORE
    regime = wf.regime_for(case.regime)
    due = working_days_after(wf.calendar, start, regime.reminder_working_days)
    while due.due_at <= now:
        due = working_days_after(wf.calendar, due.due_at - _JUST_BEFORE, 1)
    schedule(uow, MACHINE, case.id, "department_reminder", due, now)
    return deadline_facts(due)


def _tell_about_escalation(uow, case: CaseData, deadline: DeadlineData, now) -> None:
    if deadline.kind in ("department_answer", "department_reminder"):
        department = uow.penalties.department_code(case.penalty_id)
        uow.outbox.notify(
            f"department:{department}",
            "reminder",
            f"案件{case.id}的行政处罚履行情况确认已超期，请尽快反馈。",
            case.stream,
            now,
        )
    reason = (
        "临时期限（当年法定节假日安排尚未发布）已到，请人工处理"
        if deadline.provisional
        else f"期限“{notices.deadline_name(deadline.kind)}”已过"
    )
    uow.outbox.notify(
        _OFFICE,
        "escalation",
        f"案件{case.id}：{reason}。",
        case.stream,
        now,
        {"deadline_id": deadline.id, "kind": deadline.kind},
    )


def _stored_facts(deadline: DeadlineData) -> dict:
    return {
        "id": deadline.id,
        "kind": deadline.kind,
        "due_at": deadline.due_at.isoformat(),
        "rule": deadline.rule,
        "inputs": deadline.inputs,
        "provisional": deadline.provisional,
        "calendar_version": deadline.calendar_version,
    }
