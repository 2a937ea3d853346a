"""Quarterly batch repair (批量主动修复): start a batch, read its report, the
office's review and cancellation, the public notice and objections to it. Every
change goes through the workflow's use cases; the departments' lists and answers
are in ``batch_items``."""

from typing import Annotated, Literal

import structlog
from fastapi import APIRouter, Depends, Query, Request

from credit_repair.api.auth import EVERYONE, FILERS, allow
from credit_repair.api.batch_responses import BatchOut, BatchPage, NoticeOut
from credit_repair.api.batch_schemas import BatchIn, CancelIn, ObjectionIn, ReviewIn
from credit_repair.api.deps import read, workflow_of
from credit_repair.api.params import Limit, Offset, PathId
from credit_repair.persistence.batch_views import batch_report, notice
from credit_repair.persistence.listings import list_batches
from credit_repair.persistence.tokens import TokenHolder
from credit_repair.workflow import batch_review, batches
from credit_repair.workflow.errors import InvalidInput
from credit_repair.workflow.machines import state_names

router = APIRouter(prefix="/api/v1/batches", tags=["batches"])
log = structlog.get_logger("credit_repair.api")
BatchState = Literal[tuple(state_names("batch"))]


def report(request: Request, batch_id: int) -> dict:
    now = workflow_of(request).clock.now()
    with read(request) as conn:
        return batch_report(conn, batch_id, now)


@router.post("", status_code=201, response_model=BatchOut)
def start(
    request: Request,
    body: BatchIn | None = None,
    holder: TokenHolder = Depends(allow("office")),
):
    """Screen every eligible published record into a new batch and ask each
    department to confirm its items; answers once screening is done."""
    body = body or BatchIn()
    batch = batches.start_batch(workflow_of(request), holder.actor, as_of=body.as_of)
    log.info("batch_started", batch_id=batch.id, items=batch.item_count)
    return report(request, batch.id)


@router.get("", response_model=BatchPage)
def listing(
    request: Request,
    state: Annotated[BatchState | None, Query()] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    holder: TokenHolder = Depends(allow(*EVERYONE)),
):
    """Batches newest first."""
    with read(request) as conn:
        items, total = list_batches(conn, state=state, limit=limit, offset=offset)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get("/{batch_id}", response_model=BatchOut)
def show(
    batch_id: PathId, request: Request, holder: TokenHolder = Depends(allow(*EVERYONE))
):
    """State, deadlines, counts per state, department and reason for exclusion,
    and each department's timeliness."""
    return report(request, batch_id)


@router.post("/{batch_id}/review", response_model=BatchOut)
def review(
    batch_id: PathId,
    body: ReviewIn,
    request: Request,
    holder: TokenHolder = Depends(allow("office")),
):
    """Exclude confirmed items with a reason each, then (``approve``) put the
    rest on public notice."""
    if not body.exclude and not body.approve:
        raise InvalidInput({"body": "name items to exclude, or approve, or both"})
    wf, version = workflow_of(request), body.expected_version
    if body.exclude:
        batch_review.exclude_items(wf, batch_id, body.exclude, holder.actor, version)
        version = None
    if body.approve:
        batch_review.approve_review(wf, batch_id, holder.actor, version)
    log.info(
        "batch_reviewed",
        batch_id=batch_id,
        excluded=len(body.exclude),
        approved=body.approve,
    )
    return report(request, batch_id)


@router.post("/{batch_id}/cancel", response_model=BatchOut)
def cancel(
    batch_id: PathId,
    body: CancelIn,
    request: Request,
    holder: TokenHolder = Depends(allow("office")),
):
    """Stop a batch: its open items are excluded and no record changes."""
    batches.cancel_batch(
        workflow_of(request), batch_id, holder.actor, body.reason, body.expected_version
    )
    log.info("batch_cancelled", batch_id=batch_id)
    return report(request, batch_id)


@router.get("/{batch_id}/notice", response_model=NoticeOut)
def public_notice(
    batch_id: PathId, request: Request, holder: TokenHolder = Depends(allow(*EVERYONE))
):
    """The list as the portal publishes it (公示); 404 before it is announced."""
    with read(request) as conn:
        return notice(conn, batch_id)


@router.post("/{batch_id}/objections", status_code=201, response_model=BatchOut)
def object_to_item(
    batch_id: PathId,
    body: ObjectionIn,
    request: Request,
    holder: TokenHolder = Depends(allow(*FILERS)),
):
    """Record an objection (who, why) to an item on notice; the item leaves the
    batch and its record stays published."""
    batch_review.object_to_item(
        workflow_of(request),
        batch_id,
        body.item_id,
        body.by,
        body.reason,
        holder.actor,
        body.expected_version,
    )
    log.info("batch_item_objected", batch_id=batch_id, item_id=body.item_id)
    return report(request, batch_id)
