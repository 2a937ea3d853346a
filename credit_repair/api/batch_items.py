"""A department's batch items, the list it answers in (JSON, CSV or XLSX), and
its answers in bulk (部门确认): JSON, or the same sheet filled in with 是/否."""

from pathlib import PurePath
from typing import Annotated, Literal

import structlog
from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import UploadFile

from credit_repair import batch_sheets
from credit_repair.api.auth import allow, department_filter
from credit_repair.api.batch_responses import AnswerReceiptOut, BatchItemsOut
from credit_repair.api.batch_schemas import AnswerIn
from credit_repair.api.deps import read, workflow_of
from credit_repair.api.errors import encoding_problem
from credit_repair.api.params import PathId
from credit_repair.api.types import Code, Version
from credit_repair.persistence.batch_views import department_items
from credit_repair.persistence.tokens import TokenHolder
from credit_repair.workflow import batch_confirmation
from credit_repair.workflow.errors import InvalidInput

router = APIRouter(prefix="/api/v1/batches", tags=["batches"])
log = structlog.get_logger("credit_repair.api")

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ANSWERS = TypeAdapter(list[AnswerIn])
MOST_ANSWERS = 200_000
ANSWER_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "array",
                    "items": AnswerIn.model_json_schema(),
                    "minItems": 1,
                    "maxItems": MOST_ANSWERS,
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The exported .csv or .xlsx, filled in",
                        }
                    },
                }
            },
        },
    }
}
Department = Annotated[
    Code | None, Query(description="Department code; a department's own by default")
]


@router.get(
    "/{batch_id}/items",
    response_model=BatchItemsOut,
    responses={200: {"content": {media: {} for media in MEDIA_TYPES.values()}}},
)
def items(
    batch_id: PathId,
    request: Request,
    holder: TokenHolder = Depends(allow("office", "department", "auditor")),
    department: Department = None,
    sheet: Annotated[Literal["json", "csv", "xlsx"], Query(alias="format")] = "json",
):
    """A department's items (all of them for staff who name none) in the shape it
    answers in; CSV and XLSX come as a file with Chinese headers."""
    code = department_filter(holder, department)
    with read(request) as conn:
        rows = department_items(conn, batch_id, code)
    if sheet == "json":
        return {"batch_id": batch_id, "department": code, "items": rows}
    write = batch_sheets.to_csv if sheet == "csv" else batch_sheets.to_xlsx
    content = write(rows)
    filename = f"batch-{batch_id}-{code or 'all'}.{sheet}"
    return Response(
        content,
        media_type=MEDIA_TYPES[sheet],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def answers_of(request: Request) -> list[dict]:
    """The answers of a JSON list, or of an uploaded sheet (``file``)."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        return await _sheet_answers(request)
    body = await request.body()
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput({"body": encoding_problem(exc)}) from None
    try:
        answers = ANSWERS.validate_json(body)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from None
    if not 1 <= len(answers) <= MOST_ANSWERS:
        raise InvalidInput({"body": f"send 1 to {MOST_ANSWERS} answers"})
    return [a.model_dump() for a in answers]


async def _sheet_answers(request: Request) -> list[dict]:
    async with request.form() as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput({"file": "upload the filled-in .csv or .xlsx as file"})
        kind = PurePath(upload.filename or "").suffix.lower().lstrip(".")
        if kind not in MEDIA_TYPES:
            raise InvalidInput({"file": "name the file .csv or .xlsx"})
        content = await upload.read()
    return await to_thread.run_sync(batch_sheets.read_answers, content, kind)


@router.post(
    "/{batch_id}/confirmations",
    response_model=AnswerReceiptOut,
    openapi_extra=ANSWER_BODY,
)
def confirm(
    batch_id: PathId,
    request: Request,
    holder: TokenHolder = Depends(allow("office", "department")),
    answers: list[dict] = Depends(answers_of),
    department: Department = None,
    expected_version: Annotated[Version | None, Query()] = None,
):
    """A department's answers for its own items, all or nothing; the office may
    answer on a department's behalf by naming it."""
    code = department_filter(holder, department)
    if code is None:
        raise InvalidInput({"department": "name the department the answers are for"})
    receipt = batch_confirmation.confirm_items(
        workflow_of(request), batch_id, code, answers, holder.actor, expected_version
    )
    log.info(
        "batch_answers_received",
        batch_id=batch_id,
        department=code,
        confirmed=receipt.confirmed,
        late=receipt.late,
    )
    return receipt.__dict__
