"""What entering an instant-repair state does besides the state change: the
message to the upper level, the answer deadline, the record's takedown, notices."""

from datetime import datetime, timedelta

from credit_repair.workflow import notices
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import BUSINESS_TZ, working_days_after
from credit_repair.workflow.eligibility import UnmetCondition, beyond_the_company
from credit_repair.workflow.model import CaseData, DocumentData, PenaltyData
from credit_repair.workflow.ports import UnitOfWork
from credit_repair.workflow.publication import deadline_facts, schedule, take_down

MACHINE = "instant"
PROCEDURE_ZH = "“0工作日”信用修复"
#: The feed's reason; the upper level's own words stay in the case's history.
NATIONAL_REPAIR = "national repair approved by the province and the nation"


def company(case: CaseData) -> str:
    """The recipient name of the case's company."""
    return f"company:{case.company_id}"


def settle(uow: UnitOfWork, case: CaseData, status: str, at: datetime) -> None:
    """Close every pending deadline of the case as ``status``."""
    uow.deadlines.settle(MACHINE, case.id, None, status, at)


def forward(
    wf: Workflow,
    uow: UnitOfWork,
    case: CaseData,
    record: PenaltyData,
    documents: list[DocumentData],
    now,
):
    """Queue the dossier for the province and the nation, tell the company, and
    start the clock on the upper level's answer; returns the facts to audit.
    ``documents`` are the case's documents as the review read them."""
    due = working_days_after(wf.calendar, now, wf.instant_answer_working_days)
    schedule(uow, MACHINE, case.id, "upper_level_answer", due, now)
    dossier = _dossier(case, record, documents, now, due.due_at)
    message = notices.send(
        uow,
        "upper_level_review",
        notices.UPPER_LEVEL,
        case.stream,
        now,
        dossier,
        case_id=case.id,
        company=record.company_name,
        uscc=record.company_uscc or "未登记",
        decision_number=record.decision_number or "无",
        department=record.department_name,
    )
    notices.send(
        uow, "instant_forwarded", company(case), case.stream, now, case_id=case.id
    )
    return {
        "message": {"recipient": notices.UPPER_LEVEL, "notification_id": message},
        "documents": [d["sha256"] for d in dossier["documents"]],
        "deadlines": {"upper_level_answer": deadline_facts(due)},
    }


def notify_returned(
    uow: UnitOfWork, case: CaseData, unmet: list[UnmetCondition], now
) -> None:
    """The one-time notice (一次性告知): every unmet condition and missing document,
    and either an invitation to resubmit or, when a condition is beyond the
    company, what happens instead."""
    lines = "".join(f"{i}. {u.message_zh}" for i, u in enumerate(unmet, start=1))
    missing = [u.detail["document"] for u in unmet if "document" in u.detail]
    blocking = [u.code for u in beyond_the_company(unmet)]
    notices.send(
        uow,
        "one_time_notice",
        company(case),
        case.stream,
        now,
        {
            "penalty_id": case.penalty_id,
            "unmet": [u.as_dict() for u in unmet],
            "missing_documents": missing,
            "can_resubmit": not blocking,
        },
        procedure=PROCEDURE_ZH,
        case_id=case.id,
        lines=lines,
        ending=notices.one_time_notice_ending([u.code for u in unmet], blocking),
    )


def on_repaired(uow: UnitOfWork, case: CaseData, record, now) -> None:
    """The upper level repaired the record: offline everywhere, through the feed."""
    settle(uow, case, "met", now)
    if record.is_published:
        take_down(uow, record.id, NATIONAL_REPAIR, case.stream, now)
    notices.send(
        uow, "upper_level_repaired", company(case), case.stream, now, case_id=case.id
    )


def on_refused(uow: UnitOfWork, case: CaseData, reason: str, now) -> None:
    """The upper level refused: the record stays published, the company is told why."""
    settle(uow, case, "met", now)
    notices.send(
        uow,
        "upper_level_refused",
        company(case),
        case.stream,
        now,
        {"reason": reason},
        case_id=case.id,
        reason=reason,
    )


def local_end(due_at: datetime) -> str:
    """A due instant as the business day it ends, e.g. ``2026-03-09 24:00``."""
    last_day = (due_at - timedelta(microseconds=1)).astimezone(BUSINESS_TZ).date()
    return f"{last_day.isoformat()} 24:00"


def _dossier(case: CaseData, record: PenaltyData, documents, now, due_at) -> dict:
    """Everything the upper level needs to re-review without asking back."""
    return {
        "case_id": case.id,
        "record": {
            "id": record.id,
            "identity_key": record.identity_key,
            "decision_number": record.decision_number,
            "penalty_class": record.penalty_class,
            "decision_date": _day(record.decision_date),
            "published_on": _day(record.published_on),
            "published_where": record.published_where,
        },
        "company": {
            "id": record.company_id,
            "name": record.company_name,
            "uscc": record.company_uscc,
        },
        "department": {
            "code": record.department_code,
            "name": record.department_name,
        },
        "documents": [
            {"kind": d.kind, "name": d.name, "size": d.size, "sha256": d.sha256}
            for d in documents
        ],
        "regime": {"name": case.regime, "version": case.regime_version},
        "reviewed_at": now.isoformat(),
        "answer_due_at": due_at.isoformat(),
    }


def _day(value) -> str | None:
    return value.isoformat() if value is not None else None
