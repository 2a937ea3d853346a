"""What entering a commitment-repair state does besides the state change:
publication, bar list, deadlines and notices."""

from datetime import datetime

from credit_repair.workflow import training_proof as proof
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import days_after, working_days_after
from credit_repair.workflow.eligibility import reason_in_english
from credit_repair.workflow.model import OPEN_DEADLINE_STATUSES, CaseData, PenaltyData
from credit_repair.workflow.ports import UnitOfWork
from credit_repair.workflow.publication import (
    deadline_facts,
    relist,
    schedule,
    take_down,
)
from credit_repair.workflow.regimes import PenaltyClass

MACHINE = "commitment"
TAKEN_DOWN_STATES = ("taken_down", "awaiting_confirmation", "awaiting_training_proof")


def settle(uow: UnitOfWork, case: CaseData, kinds, status: str, at: datetime) -> None:
    """Close the case's pending deadlines of ``kinds`` (or all) as ``status``."""
    uow.deadlines.settle(MACHINE, case.id, kinds, status, at)


def _add(wf: Workflow, uow, case, kind: str, due, now) -> dict:
    schedule(uow, MACHINE, case.id, kind, due, now)
    return {kind: deadline_facts(due)}


def _training_deadline(wf: Workflow, uow, case, start: datetime, now):
    regime = wf.regime_for(case.regime)
    due = days_after(wf.calendar, start, regime.training_proof_days)
    schedule(uow, MACHINE, case.id, "training_proof", due, now)
    return due


def _needs_training(wf: Workflow, case: CaseData) -> bool:
    regime = wf.regime_for(case.regime)
    return case.penalty_class == PenaltyClass.SEVERE and regime.severe_needs_training


def on_taken_down(wf: Workflow, uow: UnitOfWork, case: CaseData, now) -> dict:
    """Record offline at once; the office must ask the department in time."""
    take_down(uow, case.penalty_id, "commitment accepted", case.stream, now)
    regime = wf.regime_for(case.regime)
    due = working_days_after(wf.calendar, now, regime.request_confirmation_working_days)
    facts = _add(wf, uow, case, "request_confirmation", due, now)
    text = "您的信用修复承诺已通过审核，相关行政处罚信息已下线。"
    if _needs_training(wf, case):
        training = _training_deadline(wf, uow, case, case.received_at, now)
        facts["training_proof"] = deadline_facts(training)
        lacking = proof.missing(wf, uow, case)
        if not lacking:
            settle(uow, case, ["training_proof"], "met", now)
        text += "该信息属于严重失信，" + proof.request(
            wf, case, lacking, training.due_at, training.provisional
        )
    uow.outbox.notify(
        f"company:{case.company_id}",
        "taken_down",
        text,
        case.stream,
        now,
    )
    return facts


def on_confirmation_requested(wf: Workflow, uow: UnitOfWork, case: CaseData, now):
    """The department has one working day to answer."""
    settle(uow, case, ["request_confirmation"], "met", now)
    regime = wf.regime_for(case.regime)
    due = working_days_after(wf.calendar, now, regime.confirmation_working_days)
    department = uow.penalties.department_code(case.penalty_id)
    uow.outbox.notify(
        f"department:{department}",
        "confirmation_requested",
        f"请于{due.last_day} 24:00前确认行政处罚（案件{case.id}）是否已全部履行。",
        case.stream,
        now,
    )
    return _add(wf, uow, case, "department_answer", due, now)


def answered(guards: dict) -> dict[str, str]:
    """The clocks a department's answer stops, and how: its own are met; the
    training-proof clock is cancelled unless the record needs the proof."""
    statuses = {"department_answer": "met", "department_reminder": "met"}
    if not guards["needs_training_proof"]:
        statuses["training_proof"] = "cancelled"
    return statuses


def on_confirmed(wf, uow, case: CaseData, target: str, guards, became_severe, now):
    """Stop the department's clock; start, keep or stop the training-proof clock.

    The 7 days run from the receipt of the commitment, or from this confirmation
    when the department is the one who found the record severe. A confirmation
    that closes the case leaves its clocks to ``on_closed``, which settles them
    all at once.
    """
    if target != "awaiting_training_proof":
        return {}
    uow.deadlines.settle_each(MACHINE, case.id, answered(guards), None, now)
    pending = {
        d.kind: d
        for d in uow.deadlines.for_subject(MACHINE, case.id)
        if d.status in OPEN_DEADLINE_STATUSES
    }
    facts = {}
    training = pending.get("training_proof")
    if became_severe or training is None:
        settle(uow, case, ["training_proof"], "cancelled", now)
        training = _training_deadline(wf, uow, case, now, now)
        facts["training_proof"] = deadline_facts(training)
    proof.ask_after_confirmation(wf, uow, case, training, became_severe, now)
    return facts


def on_closed(uow: UnitOfWork, case: CaseData, target: str, guards, now, reason: str):
    """Final states reached through confirmation: the answer's clocks settle as
    ``answered`` says, every other one with the case."""
    if target == "effective":
        make_effective(uow, case, now, answered(guards))
    elif target == "relisted_barred":
        relist_and_bar(uow, case, reason, now, answered(guards))


def make_effective(uow: UnitOfWork, case: CaseData, now, settled=None) -> None:
    """Repair takes effect: the record stays offline for good. Pending clocks are
    met, but those in ``settled`` (kind → status)."""
    uow.deadlines.settle_each(MACHINE, case.id, settled or {}, "met", now)
    uow.outbox.notify(
        f"company:{case.company_id}",
        "repair_effective",
        "您的信用修复已生效。",
        case.stream,
        now,
    )


def relist_and_bar(
    uow: UnitOfWork, case: CaseData, reason: str, now, settled=None
) -> None:
    """Publish the record again and bar the company from commitment repair.
    Pending clocks are cancelled, but those in ``settled`` (kind → status)."""
    uow.deadlines.settle_each(MACHINE, case.id, settled or {}, "cancelled", now)
    why = reason_in_english(reason) or "see the case's history"
    relist(uow, case.penalty_id, f"commitment repair failed: {why}", case.stream, now)
    if not uow.bars.of(case.company_id).is_barred:
        uow.bars.add(case.company_id, case.id, reason, now)
    uow.outbox.notify(
        f"company:{case.company_id}",
        "relisted_barred",
        f"因{reason}，相关行政处罚信息已重新上线，贵单位不再适用“先修复后证明”。",
        case.stream,
        now,
    )


def on_withdrawn(uow: UnitOfWork, case: CaseData, source: str, reason: str, now):
    """A withdrawn case relists a taken-down record, without a bar."""
    settle(uow, case, None, "cancelled", now)
    if source in TAKEN_DOWN_STATES:
        relist(uow, case.penalty_id, "commitment case withdrawn", case.stream, now)


def notify_rejection(uow, case: CaseData, record: PenaltyData, unmet, now) -> None:
    """The one-time notice (一次性告知) of every unmet condition."""
    lines = "".join(f"{i}. {u.message_zh}" for i, u in enumerate(unmet, start=1))
    uow.outbox.notify(
        f"company:{case.company_id}",
        "one_time_notice",
        f"您的信用修复承诺未通过审核，原因如下：{lines}",
        case.stream,
        now,
        {"unmet": [u.code for u in unmet], "penalty_id": record.id},
    )
