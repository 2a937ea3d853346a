"""Importing penalty files: the entry point shared by the command line and the
HTTP upload, wiring the file reader, the import use case and the database."""

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import structlog
from sqlalchemy import Engine

from credit_repair.importing.expiry import PastMaximumExpiry
from credit_repair.importing.files import SourceFileError, read_table
from credit_repair.persistence.penalty_import import Expiry, SqlImportTarget
from credit_repair.workflow.import_summary import ImportSummary
from credit_repair.workflow.importing import (
    CHUNK_ROWS,
    ImportInterrupted,
    import_rows,
)
from credit_repair.workflow.layouts import (
    LAYOUTS,
    LayoutError,
    detect_layout,
    map_columns,
)

__all__ = [
    "ImportInterrupted",
    "ImportSummary",
    "LayoutError",
    "PastMaximumExpiry",
    "SourceFileError",
    "import_file",
]

log = structlog.get_logger(__name__)


def import_file(
    engine: Engine,
    source: Path | str | bytes,
    filename: str | None = None,
    *,
    layout: str | None = None,
    dry_run: bool = False,
    clock_now: datetime,
    progress: Callable[[int, int | None], None] | None = None,
    published_where: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    expire: Expiry | None = None,
) -> ImportSummary:
    """Import a CSV or XLSX penalty file; ``layout`` is detected when not given.
    With ``expire`` (a ``PastMaximumExpiry``, as the command line and the API
    pass), records past their maximum period go offline in the chunk that stores
    them.

    Raises ``SourceFileError`` or ``LayoutError`` before anything is written, and
    ``ImportInterrupted`` (carrying the summary) when it stops part-way."""
    if layout is not None and layout not in LAYOUTS:
        raise LayoutError(f"unknown layout {layout!r}; choose {', '.join(LAYOUTS)}")
    table = read_table(source, filename)
    chosen = LAYOUTS[layout] if layout else detect_layout(table.headers)
    columns = map_columns(table.headers, chosen)
    target = SqlImportTarget(
        engine, clock_now=clock_now, dry_run=dry_run, expire=expire
    )
    try:
        summary = import_rows(
            table,
            columns,
            target,
            clock_now=clock_now,
            published_where=published_where,
            dry_run=dry_run,
            chunk_rows=chunk_rows,
            progress=progress,
        )
    except ImportInterrupted as stopped:
        log.warning("penalty_import_interrupted", **_brief(stopped.summary))
        raise
    log.info("penalty_file_imported", **_brief(summary))
    return summary


def _brief(summary: ImportSummary) -> dict:
    return {
        "file": summary.filename,
        "run_id": summary.run_id,
        "dry_run": summary.dry_run,
        "read": summary.read,
        "imported": summary.imported,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "rejected": summary.rejected,
        "expired": summary.expired,
        "last_committed_row": summary.last_committed_row,
    }
