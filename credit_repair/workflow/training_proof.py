"""What a severe commitment case still has to send, the training certificate
(信用修复培训证明) and the credit repair report (信用修复报告), by when; telling
the company so; and the review condition when that time ran out before review."""

from datetime import datetime

from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import BUSINESS_TZ, closing_instant, days_after
from credit_repair.workflow.eligibility import (
    DOCUMENT_NAMES,
    UnmetCondition,
    training_proof_overdue,
)
from credit_repair.workflow.model import CaseData
from credit_repair.workflow.ports import UnitOfWork

RELISTED_IF_LATE = (
    "逾期未提交齐全的，相关行政处罚信息将重新上线，贵单位不再适用“先修复后证明”。"
)


def needed(wf: Workflow, case: CaseData) -> list[str]:
    """The documents the case's regime asks of its class after the takedown."""
    regime = wf.regime_for(case.regime)
    return [str(kind) for kind in regime.follow_up_documents(case.penalty_class)]


def missing(wf: Workflow, uow: UnitOfWork, case: CaseData) -> list[str]:
    """Of :func:`needed`, those the company has not sent yet."""
    sent = {d.kind for d in uow.cases.documents(case.id)}
    return [kind for kind in needed(wf, case) if kind not in sent]


def request(
    wf: Workflow, case: CaseData, lacking: list[str], due_at: datetime, provisional
) -> str:
    """The sentence asking for the ``lacking`` documents by ``due_at``, naming the
    ones already in; or saying that both are in."""
    names = {kind: DOCUMENT_NAMES[kind][0] for kind in needed(wf, case)}
    if not lacking:
        return f"已收到{'和'.join(names.values())}。"
    asked = "和".join(names[kind] for kind in lacking)
    received = [name for kind, name in names.items() if kind not in lacking]
    last_day = closing_instant(due_at).astimezone(BUSINESS_TZ).date()
    text = f"请于{last_day.isoformat()} 24:00前提交{asked}"
    if received:
        text += f"（{'和'.join(received)}已收到）"
    if provisional:
        text += "（当年法定节假日安排尚未发布，该期限为临时期限，发布后重新计算）"
    return f"{text}；{RELISTED_IF_LATE}"


def ask_after_confirmation(
    wf: Workflow,
    uow: UnitOfWork,
    case: CaseData,
    due,
    became_severe: bool,
    now: datetime,
) -> None:
    """Tell the company that confirmation left its case waiting for the training
    proof: what is still missing and the due date of the training deadline (a
    ``deadlines.Deadline`` or a stored ``DeadlineData``)."""
    lacking = missing(wf, uow, case)
    found = "，并认定该行政处罚属于严重失信" if became_severe else ""
    uow.outbox.notify(
        f"company:{case.company_id}",
        "training_proof_requested",
        f"处罚机关已确认行政处罚（案件{case.id}）已全部履行{found}。"
        + request(wf, case, lacking, due.due_at, due.provisional),
        case.stream,
        now,
        {"training_proof_due": due.due_at.isoformat(), "missing": lacking},
    )


def overdue_proof(
    wf: Workflow, case: CaseData, kinds: set[str], now: datetime
) -> list[UnmetCondition]:
    """The condition a review fails when a severe record's training deadline,
    counted from the letter's receipt, has passed without both documents in:
    taking the record down would publish it again and bar the company at once."""
    lacking = [kind for kind in needed(wf, case) if kind not in kinds]
    if not lacking:
        return []
    regime = wf.regime_for(case.regime)
    due = days_after(wf.calendar, case.received_at, regime.training_proof_days)
    if due.due_at > now:
        return []
    received_on = case.received_at.astimezone(BUSINESS_TZ).date()
    return [
        training_proof_overdue(
            received_on, due.amount, due.last_day, lacking, due.provisional
        )
    ]
