"""Cases, their documents and deadlines, and the bar list of commitment repair."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlmodel import Field, SQLModel

from credit_repair.persistence.types import UTCDateTime


class Case(SQLModel, table=True):
    """One application of one company for one penalty record, under one procedure."""

    __tablename__ = "repair_case"
    __table_args__ = (
        Index(
            "ux_case_open_per_record",
            "penalty_id",
            unique=True,
            sqlite_where=text("is_open"),
            postgresql_where=text("is_open"),
        ),
        Index("ix_case_state", "procedure", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    procedure: str = Field(max_length=20)
    state: str = Field(max_length=40)
    is_open: bool = True
    penalty_id: int = Field(foreign_key="penalty_record.id")
    company_id: int = Field(foreign_key="company.id", index=True)
    department_id: int = Field(foreign_key="department.id", index=True)
    regime: str = Field(max_length=40)
    regime_version: str = Field(max_length=40)
    channel: str = Field(max_length=20)
    received_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    penalty_class: str = Field(max_length=20)
    fulfilled: bool | None = None
    escalated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    outcome: dict = Field(default_factory=dict, sa_column=Column(JSON))
    version: int = 1
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class Document(SQLModel, table=True):
    """A document a company sent for its case, identified by its SHA-256."""

    __tablename__ = "case_document"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(
        sa_column=Column(Integer, ForeignKey("repair_case.id"), index=True)
    )
    kind: str = Field(max_length=40)
    name: str = Field(max_length=255)
    size: int
    sha256: str = Field(max_length=64)
    received_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    reference: str | None = Field(default=None, sa_column=Column(Text))


class Deadline(SQLModel, table=True):
    """A due instant the scheduler fires; this table is the truth, not the jobs."""

    __tablename__ = "deadline"
    __table_args__ = (Index("ix_deadline_pending", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    machine: str = Field(max_length=20)
    subject_id: int = Field(index=True)
    kind: str = Field(max_length=40)
    due_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    rule: str = Field(max_length=20)
    inputs: dict = Field(default_factory=dict, sa_column=Column(JSON))
    calendar_version: str = Field(sa_column=Column(String(200), nullable=False))
    provisional: bool = False
    explanation: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=20)
    fired_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class Bar(SQLModel, table=True):
    """A company barred from commitment repair, with the case that caused it."""

    __tablename__ = "bar"

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", unique=True)
    case_id: int = Field(foreign_key="repair_case.id")
    reason: str = Field(sa_column=Column(Text, nullable=False))
    barred_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
