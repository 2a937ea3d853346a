"""Remembered answers to POSTs sent with an ``Idempotency-Key``: a key is reserved
before the request runs and holds its answer afterwards, per token."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from credit_repair.persistence.tables import IdempotencyKey

KEY = IdempotencyKey.__table__


@dataclass(frozen=True)
class RememberedRequest:
    """What was first sent under a key and, once answered, the answer."""

    method: str
    path: str
    request_hash: str
    status_code: int | None
    response_body: Any
    created_at: datetime

    @property
    def answered(self) -> bool:
        return self.status_code is not None


def reserve_key(
    engine: Engine,
    token_id: int,
    key: str,
    method: str,
    path: str,
    request_hash: str,
    now: datetime,
    abandoned_after: timedelta,
) -> RememberedRequest | None:
    """Reserve ``key`` for this request: None when it is now ours, else the request
    that holds it. A reservation left unanswered for ``abandoned_after`` (its
    process died) is taken over."""
    values = {
        "method": method,
        "path": path,
        "request_hash": request_hash,
        "status_code": None,
        "response_body": None,
        "created_at": now,
    }
    try:
        with engine.begin() as conn:
            conn.execute(insert(KEY).values(token_id=token_id, key=key, **values))
        return None
    except IntegrityError:
        pass
    with engine.begin() as conn:
        row = conn.execute(_row(token_id, key)).first()
        if row is None:
            return reserve_key(
                engine, token_id, key, method, path, request_hash, now, abandoned_after
            )
        held = RememberedRequest(**row._mapping)
        if held.answered or held.created_at > now - abandoned_after:
            return held
        taken = conn.execute(
            update(KEY)
            .where(*_match(token_id, key), KEY.c.created_at == held.created_at)
            .values(values)
        )
        return None if taken.rowcount == 1 else held


def store_answer(
    engine: Engine, token_id: int, key: str, status_code: int, body: Any
) -> None:
    """Keep the answer given under a reserved key."""
    with engine.begin() as conn:
        conn.execute(
            update(KEY)
            .where(*_match(token_id, key))
            .values(status_code=status_code, response_body=body)
        )


def release_key(engine: Engine, token_id: int, key: str) -> None:
    """Give up an unanswered reservation, so that a retry runs the request."""
    with engine.begin() as conn:
        conn.execute(
            delete(KEY).where(*_match(token_id, key), KEY.c.status_code.is_(None))
        )


def _match(token_id: int, key: str):
    return (KEY.c.token_id == token_id, KEY.c.key == key)


def _row(token_id: int, key: str):
    return select(
        KEY.c.method,
        KEY.c.path,
        KEY.c.request_hash,
        KEY.c.status_code,
        KEY.c.response_body,
        KEY.c.created_at,
    ).where(*_match(token_id, key))
