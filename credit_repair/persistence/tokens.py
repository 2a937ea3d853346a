"""API tokens: made once and shown once, stored only as SHA-256, looked up by the
bearer secret, listed and revoked by staff."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, select, update

from credit_repair.persistence.tables import ApiToken
from credit_repair.workflow.errors import InvalidInput, NotFound
from credit_repair.workflow.model import Actor

TOKEN = ApiToken.__table__
ROLES = ("office", "department", "intake", "auditor")
SECRET_PREFIX = "crt_"
MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class TokenHolder:
    """Who a token belongs to; never carries the secret."""

    id: int
    name: str
    role: str
    department_code: str | None
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def actor(self) -> Actor:
        """The actor the use cases record for this caller."""
        return Actor(name=self.name, role=self.role, department=self.department_code)


def secret_hash(secret: str) -> str:
    """The SHA-256 hex digest under which a secret is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    engine: Engine,
    role: str,
    now: datetime,
    department_code: str | None = None,
    name: str | None = None,
) -> tuple[TokenHolder, str]:
    """A new token and its secret; the secret is not kept and cannot be shown again."""
    _check(role, department_code, name)
    name = name or (f"{role} {department_code}" if department_code else role)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    values = {
        "name": name,
        "role": role,
        "department_code": department_code,
        "token_hash": secret_hash(secret),
        "created_at": now,
    }
    with engine.begin() as conn:
        token_id = conn.execute(
            insert(TOKEN).values(values).returning(TOKEN.c.id)
        ).scalar_one()
    holder = TokenHolder(token_id, name, role, department_code, now)
    return holder, secret


def holder_of(conn: Connection, secret: str) -> TokenHolder | None:
    """The holder of an unrevoked token with this secret, or None."""
    row = conn.execute(
        select(*_HOLDER_COLUMNS).where(
            TOKEN.c.token_hash == secret_hash(secret), TOKEN.c.revoked_at.is_(None)
        )
    ).first()
    return TokenHolder(**row._mapping) if row else None


def list_tokens(engine: Engine) -> list[TokenHolder]:
    """Every token, revoked ones included, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(*_HOLDER_COLUMNS).order_by(TOKEN.c.id))
        return [TokenHolder(**r._mapping) for r in rows]


def revoke_token(engine: Engine, token_id: int, now: datetime) -> TokenHolder:
    """Stop a token from working; revoking twice keeps the first revocation time."""
    with engine.begin() as conn:
        conn.execute(
            update(TOKEN)
            .where(TOKEN.c.id == token_id, TOKEN.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        row = conn.execute(
            select(*_HOLDER_COLUMNS).where(TOKEN.c.id == token_id)
        ).first()
    if row is None:
        raise NotFound("token", token_id)
    return TokenHolder(**row._mapping)


_HOLDER_COLUMNS = (
    TOKEN.c.id,
    TOKEN.c.name,
    TOKEN.c.role,
    TOKEN.c.department_code,
    TOKEN.c.created_at,
    TOKEN.c.revoked_at,
)


def _check(role: str, department_code: str | None, name: str | None) -> None:
    problems = {}
    if role not in ROLES:
        problems["role"] = f"{role!r} is not one of {', '.join(ROLES)}"
    elif role == "department" and not department_code:
        problems["department"] = "a department token needs the department's code"
    elif role != "department" and department_code:
        problems["department"] = "only department tokens are bound to a department"
    if name is not None and not 0 < len(name) <= MAX_NAME_LENGTH:
        problems["name"] = f"must be 1 to {MAX_NAME_LENGTH} characters"
    if problems:
        raise InvalidInput(problems)
