"""API tokens (only their SHA-256 is kept) and the answers remembered for
``Idempotency-Key`` retries."""

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from credit_repair.persistence.types import UTCDateTime


class ApiToken(SQLModel, table=True):
    """A bearer token of one caller: a role, and a department code for department
    staff; revoked tokens stay for the record."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    role: str = Field(max_length=20)
    department_code: str | None = Field(default=None, max_length=64)
    token_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class IdempotencyKey(SQLModel, table=True):
    """The first answer to a POST sent with an ``Idempotency-Key``; a row without a
    status is a request still being handled."""

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("token_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200)
    token_id: int = Field(
        sa_column=Column(Integer, ForeignKey("api_token.id"), nullable=False)
    )
    method: str = Field(max_length=10)
    path: str = Field(max_length=500)
    request_hash: str = Field(max_length=64)
    status_code: int | None = None
    response_body: dict | list | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
