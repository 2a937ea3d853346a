"""Penalty records: enter one, read one with its disclosure window, list them,
import a file."""

from dataclasses import asdict
from datetime import timedelta
from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile

from credit_repair.api.auth import (
    EVERYONE,
    FILERS,
    allow,
    department_filter,
    require_own_department,
)
from credit_repair.api.deps import engine_of, read, workflow_of
from credit_repair.api.errors import ImportRefused, ImportStopped
from credit_repair.api.params import Limit, Offset, PathId, multipart
from credit_repair.api.responses import PenaltyAdded, PenaltyOut, PenaltyPage
from credit_repair.api.schemas import PenaltyClassName, PenaltyIn
from credit_repair.api.types import Code, Uscc, Word, text
from credit_repair.importing import (
    ImportInterrupted,
    LayoutError,
    PastMaximumExpiry,
    SourceFileError,
    import_file,
)
from credit_repair.persistence.listings import list_penalties
from credit_repair.persistence.penalty_entry import add_penalty
from credit_repair.persistence.tokens import TokenHolder
from credit_repair.persistence.views import penalty_view
from credit_repair.workflow.deadlines import BUSINESS_TZ
from credit_repair.workflow.eligibility import RecordFacts, disclosure_window
from credit_repair.workflow.errors import InvalidInput
from credit_repair.workflow.penalty_entry import (
    check_dates,
    classify_entry,
    entry_warnings,
)
from credit_repair.workflow.regimes import Regime

router = APIRouter(prefix="/api/v1/penalties", tags=["penalties"])
log = structlog.get_logger("credit_repair.api")


def period(view: dict, regime: Regime) -> dict:
    """Ends of the minimum and maximum disclosure periods under ``regime``."""
    facts = RecordFacts(
        penalty_class=view["penalty_class"],
        decision_date=view["decision_date"],
        published_on=view["published_on"],
    )
    answer = {"regime": regime.name, "minimum_period_end": None}
    try:
        minimum_end, maximum_end = disclosure_window(facts, regime)
    except ValueError:
        return answer | {"maximum_period_end": None, "eligible_from": None}
    return answer | {
        "minimum_period_end": minimum_end,
        "maximum_period_end": maximum_end,
        "eligible_from": minimum_end + timedelta(days=1),
    }


def _shown(conn, request: Request, penalty_id: int) -> dict:
    view = penalty_view(conn, penalty_id)
    return view | {"period": period(view, workflow_of(request).regime)}


@router.post("", status_code=201, response_model=PenaltyAdded)
def add(
    body: PenaltyIn, request: Request, holder: TokenHolder = Depends(allow(*FILERS))
):
    """Enter one penalty record; its class comes from the classifier, with
    ``penalty_class`` as the department's declaration (which cannot lower a
    specific-severe finding). 409 when the decision is stored; ``warnings`` when
    a stored value looks wrong (a USCC check character, an overruled class). A
    date after today or before 1990, or a publication before the decision, is a
    422 naming the field."""
    entry = body.entry()
    now = workflow_of(request).clock.now()
    check_dates(entry, now.astimezone(BUSINESS_TZ).date())
    found = classify_entry(entry)
    penalty_id = add_penalty(
        engine_of(request), entry, found.penalty_class, found.class_reason, now
    )
    log.info("penalty_added", penalty_id=penalty_id, penalty_class=found.penalty_class)
    with read(request) as conn:
        shown = _shown(conn, request, penalty_id)
    warnings = entry_warnings(entry, found, shown["company"]["name"])
    return shown | {"warnings": [asdict(w) for w in warnings]}


@router.get("", response_model=PenaltyPage)
def listing(
    request: Request,
    department: Annotated[Code | None, Query()] = None,
    penalty_class: Annotated[PenaltyClassName | None, Query()] = None,
    published: Annotated[bool | None, Query()] = None,
    uscc: Annotated[Uscc | None, Query()] = None,
    company_name: Annotated[text(300) | None, Query()] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    holder: TokenHolder = Depends(allow(*EVERYONE)),
):
    """Records newest first; department callers see their own department's only."""
    with read(request) as conn:
        items, total = list_penalties(
            conn,
            department=department_filter(holder, department),
            penalty_class=penalty_class,
            published=published,
            uscc=uscc,
            company_name=company_name,
            limit=limit,
            offset=offset,
        )
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get("/{penalty_id}", response_model=PenaltyOut)
def show(
    penalty_id: PathId,
    request: Request,
    holder: TokenHolder = Depends(allow(*EVERYONE)),
):
    """A record with its class and the reason, its disclosure window and whether it
    is published now."""
    with read(request) as conn:
        shown = _shown(conn, request, penalty_id)
    require_own_department(holder, shown["department"]["code"])
    return shown


@router.post("/import")
def import_file_upload(
    request: Request,
    file: UploadFile = File(description="CSV or XLSX penalty file"),
    layout: Annotated[Word | None, Form()] = None,
    dry_run: Annotated[bool, Form()] = False,
    holder: TokenHolder = Depends(allow(*FILERS)),
    _form: None = Depends(multipart("file", "layout", "dry_run")),
) -> dict:
    """Import a penalty file with the same importer and summary as the command line;
    records past their maximum period go offline at once (``expired``)."""
    content = file.file.read()
    wf = workflow_of(request)
    try:
        summary = import_file(
            engine_of(request),
            content,
            file.filename or "upload",
            layout=layout,
            dry_run=dry_run,
            clock_now=wf.clock.now(),
            expire=PastMaximumExpiry(wf, holder.actor),
        )
    except (LayoutError, SourceFileError) as exc:
        raise InvalidInput({"file": str(exc)}) from None
    except ImportInterrupted as stopped:
        summary = stopped.summary.as_dict()
        if isinstance(stopped.__cause__, SourceFileError):
            raise ImportRefused(str(stopped.__cause__), summary) from None
        raise ImportStopped(str(stopped), summary) from None
    return summary.as_dict()
