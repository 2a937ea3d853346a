"""What happens when a commitment-repair deadline passes (fired by the scheduler)."""

from datetime import datetime

from credit_repair.workflow import commitment_effects as effects
from credit_repair.workflow import notices
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import closing_instant, working_days_after
from credit_repair.workflow.errors import InvalidInput
from credit_repair.workflow.intake import require_role, text_input
from credit_repair.workflow.model import ESCALATED, SCHEDULER, CaseData, DeadlineData
from credit_repair.workflow.ports import UnitOfWork
from credit_repair.workflow.publication import deadline_facts, schedule
from credit_repair.workflow.transitions import decide, record_transition

MACHINE = "commitment"
PROOF_LATE = "培训证明和信用修复报告未按时提交"
_OFFICE = "office"
_SENT_BY = (
    "is sent by the service only, or by the office once a provisional "
    "training-proof deadline has passed and escalated"
)


def fire(wf: Workflow, uow: UnitOfWork, deadline: DeadlineData, now: datetime) -> str:
    """Act on a claimed deadline; returns the event sent to the case."""
    case = uow.cases.get(deadline.subject_id)
    facts = {"deadline": _stored_facts(deadline)}
    if deadline.kind == "training_proof" and not deadline.provisional:
        target = decide(case, "expire_proof", {})
        record_transition(uow, case, "expire_proof", target, SCHEDULER, now, {}, facts)
        effects.relist_and_bar(uow, case, PROOF_LATE, now)
        return "expire_proof"

    target = decide(case, "escalate", {})
    if deadline.kind in ("department_answer", "department_reminder"):
        facts["next_reminder"] = _next_reminder(wf, uow, case, deadline, now)
    if deadline.kind == "training_proof":  # provisional: only told, never relisted
        uow.deadlines.keep_open(deadline.id)
    case.escalated_at = now
    record_transition(uow, case, "escalate", target, SCHEDULER, now, {}, facts)
    _tell_about_escalation(uow, case, deadline, now)
    return "escalate"


def expire_escalated_proof(wf: Workflow, uow: UnitOfWork, case, actor, inputs):
    """The office decides that an escalated provisional training deadline has
    passed (e.g. the year's holidays are announced but not loaded yet): the record
    is published again and the company barred, as when the deadline fires on the
    official calendar, with the office's name and reason in the audit log."""
    require_role(actor, "office")
    escalated = [
        d
        for d in uow.deadlines.for_subject(MACHINE, case.id)
        if d.kind == "training_proof" and d.status == ESCALATED
    ]
    if not escalated:
        decide(case, "expire_proof", {})  # names the allowed events if refused
        raise InvalidInput({"event": f"'expire_proof' {_SENT_BY}"})
    reason = text_input(inputs, "reason")
    if reason is None:
        raise InvalidInput({"reason": "required: why the training deadline passed"})
    now = wf.clock.now()
    target = decide(case, "expire_proof", {})
    uow.deadlines.settle(MACHINE, case.id, ["training_proof"], "fired", now)
    facts = {"deadline": _stored_facts(escalated[0]), "reason": reason}
    record_transition(uow, case, "expire_proof", target, actor, now, {}, facts)
    effects.relist_and_bar(uow, case, PROOF_LATE, now)


def _next_reminder(wf, uow, case: CaseData, deadline: DeadlineData, now) -> dict:
    """The department is reminded at the end of each following working day."""
    start = closing_instant(deadline.due_at)
    regime = wf.regime_for(case.regime)
    due = working_days_after(wf.calendar, start, regime.reminder_working_days)
    while due.due_at <= now:
        due = working_days_after(wf.calendar, closing_instant(due.due_at), 1)
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
    name = notices.deadline_name(deadline.kind)
    reason = f"期限“{name}”已过"
    if deadline.kind == "training_proof":
        reason = (
            f"临时期限“{name}”已到（当年法定节假日安排尚未发布），信息暂不重新上线；"
            "加载当年官方节假日安排后将重新计算，信用办也可确认已逾期"
        )
    elif deadline.provisional:
        reason += "（临时期限，当年法定节假日安排尚未发布）"
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
