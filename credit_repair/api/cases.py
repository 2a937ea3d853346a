"""Cases: file one, read one or a list, send it events and documents, read its
history. Every change goes through the workflow's use cases."""

from typing import Annotated, Literal

import structlog
from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile

from credit_repair.api.auth import (
    EVERYONE,
    FILERS,
    allow,
    department_filter,
    require_own_department,
)
from credit_repair.api.deps import read, workflow_of
from credit_repair.api.params import Limit, Offset, PathId, multipart
from credit_repair.api.procedures import PROCEDURES, Handled
from credit_repair.api.responses import CaseAnswer, CaseOut, CasePage, HistoryRow
from credit_repair.api.schemas import CaseIn, EventIn
from credit_repair.api.types import Code, Id, Version
from credit_repair.persistence.listings import list_cases
from credit_repair.persistence.tokens import TokenHolder
from credit_repair.persistence.views import case_history, case_owner, case_view
from credit_repair.workflow.machines import state_names

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])
log = structlog.get_logger("credit_repair.api")

EVENT_ACTORS = ("office", "department", "intake")
EventName = Annotated[str, Path(pattern=r"^[a-z][a-z_]{0,39}$")]
#: Filters take only values that exist: anything else is a 422 naming them.
ProcedureName = Literal[tuple(PROCEDURES)]
CaseState = Literal[tuple(state_names(*PROCEDURES))]


def _view(request: Request, case_id: int) -> dict:
    with read(request) as conn:
        return case_view(conn, case_id)


def _answer(request: Request, handled: Handled) -> dict:
    return _view(request, handled.case_id) | {"review": handled.review}


def _owned(request: Request, case_id: int, holder: TokenHolder) -> str:
    """The case's procedure, once the caller may act on the case."""
    with read(request) as conn:
        procedure, department = case_owner(conn, case_id)
    require_own_department(holder, department)
    return procedure


@router.post("", status_code=201, response_model=CaseAnswer)
def file_case(
    body: CaseIn, request: Request, holder: TokenHolder = Depends(allow(*FILERS))
):
    """File an application for a penalty record; documents may come with it. An
    instant application is reviewed at once: ``review`` says whether it was
    forwarded or returned, with every unmet condition."""
    handled = PROCEDURES[body.procedure].file(
        workflow_of(request),
        body.penalty_id,
        body.channel,
        holder.actor,
        body.received_at,
        [(d.kind, d.name, d.content_base64) for d in body.documents],
    )
    log.info(
        "case_filed",
        case_id=handled.case_id,
        procedure=body.procedure,
        state=handled.state,
    )
    return _answer(request, handled)


@router.get("", response_model=CasePage)
def listing(
    request: Request,
    state: Annotated[CaseState | None, Query()] = None,
    procedure: Annotated[ProcedureName | None, Query()] = None,
    department: Annotated[Code | None, Query()] = None,
    penalty_id: Annotated[Id | None, Query()] = None,
    overdue: Annotated[
        bool | None,
        Query(description="Open and escalated, or with a pending deadline past due"),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    holder: TokenHolder = Depends(allow(*EVERYONE)),
):
    """Cases newest first; department callers see their own department's only."""
    with read(request) as conn:
        items, total = list_cases(
            conn,
            now=workflow_of(request).clock.now(),
            state=state,
            procedure=procedure,
            department=department_filter(holder, department),
            penalty_id=penalty_id,
            overdue=overdue,
            limit=limit,
            offset=offset,
        )
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get("/{case_id}", response_model=CaseOut)
def show(
    case_id: PathId, request: Request, holder: TokenHolder = Depends(allow(*EVERYONE))
):
    """State with its Chinese label, version, allowed events, deadlines, documents,
    the penalty record and the company."""
    view = _view(request, case_id)
    require_own_department(holder, view["penalty"]["department_code"])
    return view


@router.post("/{case_id}/events/{event}", response_model=CaseAnswer)
def fire(
    case_id: PathId,
    event: EventName,
    request: Request,
    body: EventIn | None = None,
    holder: TokenHolder = Depends(allow(*EVENT_ACTORS)),
):
    """Send an event with its inputs: commitment review, request_confirmation,
    confirm, withdraw; instant repair, refuse, resubmit (reviewed again at once,
    with documents), withdraw. ``expected_version`` guards against a stale read."""
    body = body or EventIn()
    procedure = _owned(request, case_id, holder)
    handled = PROCEDURES[procedure].fire(
        workflow_of(request), case_id, event, holder.actor, body
    )
    log.info("case_event_sent", case_id=case_id, sent=event, state=handled.state)
    return _answer(request, handled)


@router.post("/{case_id}/documents", response_model=CaseAnswer)
def attach(
    case_id: PathId,
    request: Request,
    kind: Annotated[
        Literal["commitment_letter", "training_certificate", "credit_report"],
        Form(),
    ],
    file: UploadFile = File(description="The document"),
    expected_version: Annotated[Version | None, Form()] = None,
    holder: TokenHolder = Depends(allow(*FILERS)),
    _form: None = Depends(multipart("kind", "file", "expected_version")),
):
    """Attach a document to an open case; the last training proof completes a
    severe commitment case that was waiting for it. For a returned instant case
    the document is its resubmission, reviewed again at once."""
    procedure = _owned(request, case_id, holder)
    handled = PROCEDURES[procedure].attach(
        workflow_of(request),
        case_id,
        (kind, file.filename or kind, file.file.read()),
        holder.actor,
        expected_version,
    )
    log.info("case_document_attached", case_id=case_id, kind=kind, state=handled.state)
    return _answer(request, handled)


@router.get("/{case_id}/history", response_model=list[HistoryRow])
def history(
    case_id: PathId, request: Request, holder: TokenHolder = Depends(allow(*EVERYONE))
):
    """The case's audit rows, oldest first: who did what, when, and why."""
    _owned(request, case_id, holder)
    with read(request) as conn:
        return case_history(conn, case_id)
