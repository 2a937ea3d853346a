"""Quarterly batches (批量主动修复) and their items, one item per screened record."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Text, text
from sqlmodel import Field, SQLModel

from credit_repair.persistence.types import UTCDateTime


class Batch(SQLModel, table=True):
    """One screening of the published records and everything that followed it."""

    __tablename__ = "batch"
    __table_args__ = (Index("ix_batch_state", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    state: str = Field(max_length=40)
    is_open: bool = True
    version: int = 1
    origin: str = Field(max_length=20)
    quarter: str | None = Field(default=None, sa_column=Column(String(8), unique=True))
    as_of: date
    regime: str = Field(max_length=40)
    regime_version: str = Field(max_length=40)
    started_by: str = Field(max_length=120)
    criteria: dict = Field(default_factory=dict, sa_column=Column(JSON))
    screened_through: int = 0
    item_count: int = 0
    general_count: int = 0
    severe_count: int = 0
    marked_count: int = 0
    escalated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class BatchItem(SQLModel, table=True):
    """A record in a batch: its department's answer and why it left, if it did.

    An open item (candidate or confirmed) holds its record: no other batch
    screens it meanwhile. ``department_id`` and ``company_id`` are copies of the
    record's own, which carries the foreign keys; not checking them again per
    item keeps screening a million records fast.
    """

    __tablename__ = "batch_item"
    __table_args__ = (
        Index("ix_batch_item_state", "batch_id", "state", "department_id"),
        Index(
            "ux_batch_item_open_per_record",
            "penalty_id",
            unique=True,
            sqlite_where=text("is_open"),
            postgresql_where=text("is_open"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(
        sa_column=Column(Integer, ForeignKey("batch.id"), nullable=False)
    )
    penalty_id: int = Field(foreign_key="penalty_record.id")
    department_id: int
    company_id: int
    penalty_class: str = Field(max_length=20)
    period_start: date
    marked_specific_severe: bool = False
    state: str = Field(max_length=40)
    is_open: bool = True
    version: int = 1
    fulfilled: bool | None = None
    answered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    answered_by: str | None = Field(default=None, max_length=120)
    exclusion_code: str | None = Field(default=None, max_length=40)
    exclusion_text: str | None = Field(default=None, sa_column=Column(Text))
    objected_by: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
