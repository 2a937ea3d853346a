"""Append-only logs: the audit trail, the publication-change feed and notifications."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from credit_repair.persistence.types import UTCDateTime


class AuditEntry(SQLModel, table=True):
    """One past fact about one stream (a case, a batch, an item), hash-chained."""

    __tablename__ = "audit_entry"
    __table_args__ = (UniqueConstraint("stream", "stream_seq"),)

    seq: int | None = Field(default=None, primary_key=True)
    stream: str = Field(max_length=60)
    stream_seq: int
    machine: str = Field(max_length=20)
    event: str = Field(max_length=40)
    source: str | None = Field(default=None, max_length=40)
    target: str | None = Field(default=None, max_length=40)
    actor: str = Field(max_length=120)
    actor_role: str = Field(max_length=20)
    occurred_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON))
    regime: str | None = Field(default=None, max_length=40)
    regime_version: str | None = Field(default=None, max_length=40)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class PublicationChange(SQLModel, table=True):
    """An entry of the feed the portal reads: a record taken down or published again."""

    __tablename__ = "publication_change"

    seq: int | None = Field(default=None, primary_key=True)
    penalty_id: int = Field(foreign_key="penalty_record.id", index=True)
    action: str = Field(max_length=20)
    published: bool
    reason: str = Field(sa_column=Column(Text, nullable=False))
    stream: str | None = Field(default=None, max_length=60)
    occurred_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class Notification(SQLModel, table=True):
    """Something a company, department or the office must be told, in Chinese."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_recipient", "recipient", "id"),
        Index("ix_notification_status", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    recipient: str = Field(max_length=120)
    kind: str = Field(max_length=40)
    text: str = Field(sa_column=Column(Text, nullable=False))
    stream: str | None = Field(default=None, max_length=60)
    status: str = Field(default="pending", max_length=20)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON))
    delivered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    delivery_error: str | None = Field(default=None, sa_column=Column(Text))
