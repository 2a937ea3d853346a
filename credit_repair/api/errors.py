"""The one table from errors to HTTP status codes, and the JSON error shape:
``{"error": code, "message": text, ...details}``."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from credit_repair.workflow.errors import (
    ConditionsUnmet,
    Conflict,
    CorruptState,
    CreditRepairError,
    Forbidden,
    InvalidInput,
    NotFound,
    TransitionNotAllowed,
    VersionConflict,
)


class Unauthorized(CreditRepairError):
    """Raised when a request carries no bearer token, or one that is unknown or
    revoked."""

    code = "unauthorized"


class PayloadTooLarge(CreditRepairError):
    """Raised when a request body is larger than the configured upload limit."""

    code = "payload_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body exceeds the limit of {limit} bytes")
        self.limit = limit


class IdempotencyKeyReused(CreditRepairError):
    """Raised when an ``Idempotency-Key`` comes back with a different request."""

    code = "idempotency_key_reused"


class IdempotencyKeyInUse(CreditRepairError):
    """Raised when a retry arrives while the first request with its key still runs."""

    code = "idempotency_key_in_use"


class NotAcceptable(CreditRepairError):
    """Raised when a representation is asked for that this server cannot make."""

    code = "not_acceptable"


class ImportStopped(CreditRepairError):
    """Raised when a penalty file import stops part-way; what was committed stays."""

    code = "import_stopped"

    def __init__(self, reason: str, summary: dict) -> None:
        super().__init__(f"the import stopped part-way: {reason}")
        self.summary = summary


class ImportRefused(ImportStopped):
    """Raised when a penalty file turns out unreadable part-way through; the whole
    chunks read before stay, as the summary says."""

    code = "invalid_input"

    def __init__(self, problem: str, summary: dict) -> None:
        super().__init__(problem, summary)
        self.problems = {"file": problem}


STATUS: dict[type[Exception], int] = {
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    NotAcceptable: 406,
    TransitionNotAllowed: 409,
    VersionConflict: 409,
    Conflict: 409,
    IdempotencyKeyInUse: 409,
    PayloadTooLarge: 413,
    InvalidInput: 422,
    ConditionsUnmet: 422,
    IdempotencyKeyReused: 422,
    CorruptState: 500,
    ImportStopped: 500,
    ImportRefused: 422,
}


def status_of(exc: Exception) -> int:
    """The status of the most specific class of ``exc`` in the table."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def details_of(exc: Exception) -> dict[str, Any]:
    """Extra fields that let a client act on the error without parsing text."""
    if isinstance(exc, TransitionNotAllowed):
        return {"allowed_events": exc.allowed, "state": exc.state, "event": exc.event}
    if isinstance(exc, VersionConflict):
        return {"expected_version": exc.expected, "actual_version": exc.actual}
    if isinstance(exc, InvalidInput):
        return {"problems": exc.problems}
    if isinstance(exc, ConditionsUnmet):
        return {"unmet": [u.as_dict() for u in exc.unmet]}
    if isinstance(exc, ImportRefused):
        return {"problems": exc.problems, "summary": exc.summary}
    if isinstance(exc, ImportStopped):
        return {"summary": exc.summary}
    return {}


def error_response(exc: CreditRepairError) -> JSONResponse:
    """The JSON answer for a domain or API error."""
    body = {"error": exc.code, "message": str(exc), **details_of(exc)}
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
    return JSONResponse(body, status_code=status_of(exc), headers=headers)


def problems_of(exc: RequestValidationError) -> dict[str, str]:
    """Field name → problem, for every field FastAPI or Pydantic refused."""
    problems: dict[str, list[str]] = {}
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ())]
        if error.get("type") == "json_invalid":
            reason = error.get("ctx", {}).get("error", "cannot be parsed")
            field, message = "body", f"malformed JSON: {reason}"
        else:
            field = ".".join(location[1:]) or (location[0] if location else "body")
            message = error.get("msg", "invalid")
        problems.setdefault(field, []).append(message)
    return {field: "; ".join(messages) for field, messages in problems.items()}


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


def encoding_problem(exc: UnicodeDecodeError) -> str:
    """What is wrong with a body that is not UTF-8 (GBK, say)."""
    bad = exc.object[exc.start : exc.start + 1].hex()
    return (
        f"encoding: must be UTF-8, but byte 0x{bad} at position {exc.start} is not "
        "UTF-8 (GBK?)"
    )


def _unreadable_body(exc: StarletteHTTPException) -> InvalidInput | None:
    """The 422 for a JSON body FastAPI could not parse: not UTF-8, or nested
    deeper than the parser goes (FastAPI answers such bodies with a bare 400)."""
    cause = exc.__cause__
    if exc.status_code != 400:
        return None
    if isinstance(cause, UnicodeDecodeError):
        return InvalidInput({"body": encoding_problem(cause)})
    if isinstance(cause, RecursionError):
        return InvalidInput({"body": "malformed JSON: nested too deeply to be read"})
    return None


def install(app: FastAPI) -> None:
    """Register the handlers that turn errors into the JSON error shape."""

    @app.exception_handler(CreditRepairError)
    async def domain_error(_request: Request, exc: CreditRepairError):
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError):
        return error_response(InvalidInput(problems_of(exc)))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        unreadable = _unreadable_body(exc)
        if unreadable is not None:
            return error_response(unreadable)
        body = {
            "error": _HTTP_CODES.get(exc.status_code, "http_error"),
            "message": str(exc.detail),
        }
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
