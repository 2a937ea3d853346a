"""Companies (parties), departments (deciding authorities) and penalty records."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Column, Index, Numeric, String, Text
from sqlmodel import Field, SQLModel

from credit_repair.persistence.types import UTCDateTime


class Company(SQLModel, table=True):
    """A party (行政相对人) that penalties are imposed on."""

    __tablename__ = "company"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(300), nullable=False, index=True))
    uscc: str | None = Field(default=None, sa_column=Column(String(18), unique=True))
    kind: str = Field(default="法人及非法人组织", max_length=40)
    identity_key: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class Department(SQLModel, table=True):
    """A deciding authority (处罚机关); department staff act only on its records."""

    __tablename__ = "department"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    uscc: str | None = Field(default=None, max_length=18)
    province: str | None = Field(default=None, max_length=40)


class PenaltyRecord(SQLModel, table=True):
    """One published administrative penalty (行政处罚) decision against one party."""

    __tablename__ = "penalty_record"
    __table_args__ = (
        Index("ix_penalty_published_class", "is_published", "penalty_class"),
        Index("ix_penalty_department", "department_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    identity_key: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    identity_derived: bool = False
    decision_number: str | None = Field(default=None, max_length=200)
    company_id: int = Field(foreign_key="company.id", index=True)
    party_name: str | None = Field(
        default=None,
        max_length=300,
        description="The party's name as this record was published (the company "
        "keeps the name it was first stored under).",
    )
    department_id: int = Field(foreign_key="department.id")
    penalty_kinds: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    fine_yuan: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    confiscated_yuan: Decimal | None = Field(
        default=None, sa_column=Column(Numeric(18, 2))
    )
    violation_type: str | None = Field(default=None, sa_column=Column(Text))
    facts: str | None = Field(default=None, sa_column=Column(Text))
    legal_basis: str | None = Field(default=None, sa_column=Column(Text))
    content: str | None = Field(default=None, sa_column=Column(Text))
    title: str | None = Field(default=None, sa_column=Column(Text))
    decision_date: date | None = None
    published_on: date | None = None
    published_where: str = Field(default="city", max_length=20)
    province: str | None = Field(default=None, max_length=40)
    penalty_class: str = Field(max_length=20)
    class_reason: str = Field(sa_column=Column(Text, nullable=False))
    # The commitment case in which the penalising department confirmed the
    # class; an import never overrides such a class.
    class_confirmed_by_case: int | None = None
    is_published: bool = True
    source_url: str | None = Field(default=None, sa_column=Column(Text))
    content_hash: str = Field(max_length=64)
    import_run_id: int | None = Field(default=None, foreign_key="import_run.id")
    source_row: int | None = None
    version: int = Field(
        default=0,
        sa_column_kwargs={"server_default": "0"},
        description="Rows in the record's own audit stream (``record:ID``).",
    )
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class CalendarDay(SQLModel, table=True):
    """A day of an official year table loaded by staff: a holiday or a workday."""

    __tablename__ = "calendar_day"

    day: date = Field(primary_key=True)
    is_working: bool
    name: str | None = Field(default=None, max_length=60)
    source: str = Field(max_length=200)
    loaded_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
