"""``Idempotency-Key`` on POSTs: the first request with a key runs and its answer
is kept; a retry with the same key and request gets that answer again and changes
nothing; the same key with another request is refused (422), and a retry while
the first still runs gets 409. Keys belong to the token that sent them."""

import hashlib
import json
import re
from datetime import timedelta

from anyio import to_thread
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers

from credit_repair.api.errors import (
    IdempotencyKeyInUse,
    IdempotencyKeyReused,
    error_response,
)
from credit_repair.persistence.db import reading
from credit_repair.persistence.idempotency import (
    release_key,
    reserve_key,
    store_answer,
)
from credit_repair.persistence.tokens import holder_of
from credit_repair.workflow.errors import InvalidInput

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
ABANDONED_AFTER = timedelta(minutes=10)
_GOOD_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
_BOUNDARY = re.compile(r"boundary=\"?([^\";]+)\"?")


def request_hash(scope, body: bytes) -> str:
    """SHA-256 of method, path, query and body; a multipart boundary (chosen anew
    by the client at each try) does not count."""
    content_type = Headers(scope=scope).get("content-type", "")
    found = _BOUNDARY.search(content_type)
    if content_type.startswith("multipart/") and found:
        body = body.replace(found[1].encode("latin-1"), b"BOUNDARY")
    digest = hashlib.sha256()
    for part in (scope["method"], scope["path"], scope.get("query_string", b"")):
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\n")
    digest.update(body)
    return digest.hexdigest()


class Idempotency:
    """Replays the first answer to a retried POST under ``/api/``."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get(HEADER)
        if key is None or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        if not _GOOD_KEY.match(key):
            problem = "1 to 200 visible ASCII characters"
            await error_response(InvalidInput({HEADER: problem}))(scope, receive, send)
            return
        app_state = scope["app"].state
        engine, clock = app_state.engine, app_state.workflow.clock
        message = await receive()
        body = message.get("body", b"")
        holder = await to_thread.run_sync(_holder, engine, headers)
        if holder is None:  # the route answers 401; nothing to remember
            await self.app(scope, _once(message, receive), send)
            return

        mine = (scope["method"], scope["path"], request_hash(scope, body))
        held = await to_thread.run_sync(
            reserve_key, engine, holder.id, key, *mine, clock.now(), ABANDONED_AFTER
        )
        if held is not None:
            answer = _answer_for(held, mine, key)
            await answer(scope, receive, send)
            return

        captured = _Captured()
        try:
            await self.app(scope, _once(message, receive), captured.send)
        except BaseException:
            await to_thread.run_sync(release_key, engine, holder.id, key)
            raise
        if captured.status >= 500:
            await to_thread.run_sync(release_key, engine, holder.id, key)
        else:
            await to_thread.run_sync(
                store_answer, engine, holder.id, key, captured.status, captured.json()
            )
        await captured.forward(send)


def _holder(engine, headers: Headers):
    scheme, _, secret = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    with reading(engine) as conn:
        return holder_of(conn, secret.strip())


def _answer_for(held, mine: tuple, key: str):
    if (held.method, held.path, held.request_hash) != mine:
        return error_response(
            IdempotencyKeyReused(
                f"Idempotency-Key {key!r} was first used for a different request "
                f"({held.method} {held.path}); use a new key for a new request"
            )
        )
    if not held.answered:
        return error_response(
            IdempotencyKeyInUse(
                f"the first request with Idempotency-Key {key!r} is still running; "
                "retry shortly"
            )
        )
    return JSONResponse(
        held.response_body, status_code=held.status_code, headers={REPLAYED: "true"}
    )


def _once(message, receive):
    sent = False

    async def again():
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return message

    return again


class _Captured:
    """A response held back until its answer is stored."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.status = 500

    async def send(self, message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        self.messages.append(message)

    def json(self):
        parts = [m for m in self.messages if m["type"] == "http.response.body"]
        body = b"".join(m.get("body", b"") for m in parts)
        try:
            return json.loads(body)
        except ValueError:
            return body.decode("utf-8", "replace")

    async def forward(self, send) -> None:
        for message in self.messages:
            await send(message)
