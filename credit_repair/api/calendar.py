"""Answers that need no case: when a deadline falls due, and whether a stored
penalty record may be repaired now (the one-time notice, 一次性告知)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request

from credit_repair.api.auth import EVERYONE, allow, require_own_department
from credit_repair.api.deps import read, workflow_of
from credit_repair.api.responses import DeadlineAnswer, EligibilityOut
from credit_repair.api.types import Day, Id, Instant
from credit_repair.persistence.record_facts import load_record_facts
from credit_repair.persistence.tokens import TokenHolder
from credit_repair.workflow.deadlines import BUSINESS_TZ, days_after, working_days_after
from credit_repair.workflow.eligibility import check_eligibility
from credit_repair.workflow.errors import InvalidInput

router = APIRouter(prefix="/api/v1", tags=["rules"])
Amount = Annotated[int | None, Query(ge=0, le=1000)]
DocumentKindName = Literal["commitment_letter", "training_certificate", "credit_report"]


@router.get("/calendar/deadline", response_model=DeadlineAnswer)
def deadline(
    request: Request,
    start: Annotated[
        Instant, Query(description="ISO-8601 with offset; encode '+' as %2B")
    ],
    working_days: Amount = None,
    days: Amount = None,
    holder: TokenHolder = Depends(allow(*EVERYONE)),
):
    """The end (24:00 Asia/Shanghai) of N working days, or of N calendar days moved
    to the next working day, after ``start``; provisional in years without
    official holiday data."""
    if (working_days is None) == (days is None):
        problem = "give exactly one of working_days and days"
        raise InvalidInput({"working_days": problem, "days": problem})
    calendar = workflow_of(request).calendar
    due = (
        working_days_after(calendar, start, working_days)
        if working_days is not None
        else days_after(calendar, start, days)
    )
    return {
        "rule": str(due.rule),
        "amount": due.amount,
        "start": due.start,
        "last_day": due.last_day,
        "due_at": due.due_at,
        "local_due": due.local_due,
        "provisional": due.provisional,
        "provisional_reason": due.provisional_reason,
        "calendar_version": due.calendar_version,
        "skipped": [run.__dict__ for run in due.skipped],
        "explanation": due.explain(),
    }


@router.get("/eligibility", response_model=EligibilityOut)
def eligibility(
    request: Request,
    penalty_id: Annotated[Id, Query()],
    procedure: Annotated[Literal["commitment", "batch", "instant"], Query()],
    documents: Annotated[
        list[DocumentKindName],
        Query(description="Documents the company has sent; repeat the parameter"),
    ] = (),
    on: Annotated[Day | None, Query(description="Judge on this day")] = None,
    holder: TokenHolder = Depends(allow(*EVERYONE)),
):
    """Every condition the record fails for the procedure, each with a code and a
    message in Chinese and English; ``eligible`` when there is none."""
    wf = workflow_of(request)
    with read(request) as conn:
        record, company, department = load_record_facts(conn, penalty_id)
    require_own_department(holder, department)
    day = on or wf.clock.now().astimezone(BUSINESS_TZ).date()
    unmet = check_eligibility(record, company, procedure, wf.regime, day, documents)
    return {
        "penalty_id": penalty_id,
        "procedure": procedure,
        "regime": wf.regime.name,
        "regime_version": wf.regime.version,
        "on": day,
        "eligible": not unmet,
        "unmet": [u.as_dict() for u in unmet],
    }
