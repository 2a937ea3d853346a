"""ASGI middleware: a request id bound to every log line of the request, one access
line and a latency observation per request, and bodies read once within the upload
limit (413 beyond it) so that later layers may read them again."""

import re
import uuid
from time import perf_counter

import structlog
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders

from credit_repair.api.errors import PayloadTooLarge, error_response

log = structlog.get_logger("credit_repair.access")
REQUEST_ID = "X-Request-ID"
_GOOD_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
_WITH_BODY = {"POST", "PUT", "PATCH"}


def request_id_of(headers: Headers) -> str:
    """The caller's request id when it is sensible, else a fresh one."""
    given = headers.get(REQUEST_ID)
    return given if given and _GOOD_ID.match(given) else uuid.uuid4().hex


class RequestContext:
    """Outermost layer: request id, access log, HTTP latency; a 500 for anything
    that escaped the error table, carrying the request id."""

    def __init__(self, app, metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(Headers(scope=scope))
        started = perf_counter()
        response = {"status": 500, "started": False}

        async def send_with_id(message) -> None:
            if message["type"] == "http.response.start":
                response.update(status=message["status"], started=True)
                MutableHeaders(scope=message).append(REQUEST_ID, request_id)
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            except Exception:
                log.exception("request_failed")
                if not response["started"]:
                    body = {
                        "error": "internal_error",
                        "message": "unexpected server error; quote the request id",
                        "request_id": request_id,
                    }
                    await JSONResponse(body, 500)(scope, receive, send_with_id)
                raise
            finally:
                self._account(scope, response["status"], perf_counter() - started)

    def _account(self, scope, status: int, seconds: float) -> None:
        route = scope.get("route")
        template = getattr(route, "path", None) or "unmatched"
        method = scope["method"]
        self.metrics.http_latency.labels(method, template, str(status)).observe(seconds)
        log.info(
            "request_handled",
            method=method,
            path=scope["path"],
            status=status,
            duration_ms=round(seconds * 1000, 2),
            token_id=scope.get("state", {}).get("token_id"),
        )


class BufferedBody:
    """Reads a request body up to ``limit`` bytes (413 beyond it) and hands it on
    as one message, so that the idempotency layer and the route both see it."""

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WITH_BODY:
            await self.app(scope, receive, send)
            return
        try:
            body = await self._read(scope, receive)
        except PayloadTooLarge as exc:
            await error_response(exc)(scope, receive, send)
            return
        await self.app(scope, replay(body, receive), send)

    async def _read(self, scope, receive) -> bytes:
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            raise PayloadTooLarge(self.limit)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                raise PayloadTooLarge(self.limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def replay(body: bytes, receive):
    """A ``receive`` that gives ``body`` once, then whatever the client sends."""
    sent = False

    async def again():
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again
