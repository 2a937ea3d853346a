"""Import runs: one row per file loaded, kept up to date chunk by chunk."""

from datetime import datetime

from sqlalchemy import JSON, Column, String, Text
from sqlmodel import Field, SQLModel

from credit_repair.persistence.types import UTCDateTime


class ImportRun(SQLModel, table=True):
    """A file of penalty records being or having been imported, and how far it got.

    ``rows_committed``, ``last_row`` and ``updated_at`` are written in the same
    transaction as each chunk, so after a crash the row says exactly which source
    rows are in; a ``running`` run whose ``updated_at`` stops moving belongs to a
    process that is gone (see ``persistence.import_runs``)."""

    __tablename__ = "import_run"

    id: int | None = Field(default=None, primary_key=True)
    filename: str = Field(sa_column=Column(Text, nullable=False))
    file_sha256: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    layout: str = Field(max_length=20)
    published_where: str = Field(max_length=20)
    status: str = Field(default="running", max_length=20)
    started_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    rows_committed: int = 0
    last_row: int | None = None
    summary: dict = Field(default_factory=dict, sa_column=Column(JSON))
    error: str | None = Field(default=None, sa_column=Column(Text))
