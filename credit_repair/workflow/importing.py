"""The import use case: read a penalty file's rows in chunks, draft and screen each
row, and hand every chunk to a target that stores it in one transaction.

An import that stops early leaves whole chunks only, and raises
``ImportInterrupted`` with the summary of what was committed.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Protocol

from credit_repair.workflow.deadlines import BUSINESS_TZ
from credit_repair.workflow.drafting import PenaltyDraft, draft_row
from credit_repair.workflow.import_summary import (
    ChunkOutcome,
    ChunkTally,
    ImportSummary,
)
from credit_repair.workflow.layouts import ColumnMap
from credit_repair.workflow.noise import reject

CHUNK_ROWS = 1000
PUBLISHED_WHERE = ("city", "national")

Progress = Callable[[int, int | None], None]


@dataclass
class SourceTable:
    """A file's header row and data rows, each row with its number in the file."""

    filename: str
    headers: list[object]
    rows: Iterable[tuple[int, Sequence[object]]]
    file_sha256: str = ""
    encoding: str | None = None
    total: int | None = None


class ImportTarget(Protocol):
    """Where chunks of drafts are stored; each ``write`` is one transaction."""

    def start(self, summary: ImportSummary) -> int | None:
        """Open the run; returns its id, if the target keeps runs."""

    def write(self, drafts: Sequence[PenaltyDraft], tally: ChunkTally) -> ChunkOutcome:
        """Store one chunk and commit it, or raise having stored nothing of it."""

    def finish(self, summary: ImportSummary) -> None:
        """Close the run, completed or not."""


class ImportInterrupted(RuntimeError):
    """Raised when an import stops before the end of the file, for whatever cause
    (an error, a failed chunk, Ctrl-C); ``summary`` covers the committed chunks."""

    def __init__(self, summary: ImportSummary) -> None:
        where = summary.last_committed_row
        super().__init__(
            f"import of {summary.filename} stopped after "
            f"{summary.chunks_committed} chunk(s)"
            + (f", through row {where}" if where else ", nothing committed")
            + f": {summary.stopped_because}"
        )
        self.summary = summary


def import_rows(
    table: SourceTable,
    columns: ColumnMap,
    target: ImportTarget,
    *,
    clock_now: datetime,
    published_where: str | None = None,
    dry_run: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import every row of ``table`` into ``target`` and return the summary."""
    where = published_where or columns.layout.published_where
    if where not in PUBLISHED_WHERE:
        raise ValueError(f"published_where must be one of {PUBLISHED_WHERE}")
    summary = ImportSummary(
        filename=table.filename,
        layout=columns.layout.name,
        published_where=where,
        dry_run=dry_run,
        started_at=clock_now.isoformat(),
        file_sha256=table.file_sha256,
        encoding=table.encoding,
        ignored_columns=list(columns.ignored),
    )
    summary.run_id = target.start(summary)
    today = clock_now.astimezone(BUSINESS_TZ).date()
    first_row_of: dict[str, int] = {}
    try:
        if progress:
            progress(0, table.total)
        for chunk in _chunks(table.rows, chunk_rows):
            drafts, tally = _draft_chunk(chunk, columns, where, today, first_row_of)
            summary.absorb(tally, target.write(drafts, tally))
            if progress:
                progress(summary.read, table.total)
    except (Exception, KeyboardInterrupt) as cause:
        summary.stop(cause)
        target.finish(summary)
        raise ImportInterrupted(summary) from cause
    summary.completed = True
    target.finish(summary)
    return summary


def _draft_chunk(
    chunk: list[tuple[int, Sequence[object]]],
    columns: ColumnMap,
    published_where: str,
    today: date,
    first_row_of: dict[str, int],
) -> tuple[list[PenaltyDraft], ChunkTally]:
    tally = ChunkTally(read=len(chunk), last_row=chunk[-1][0])
    drafts = []
    for row, cells in chunk:
        result = draft_row(
            row, cells, columns, published_where=published_where, today=today
        )
        if not isinstance(result, PenaltyDraft):
            tally.rejections.append(result)
            continue
        first = first_row_of.setdefault(result.identity_key, row)
        if first != row:
            tally.rejections.append(reject(row, "duplicate_in_file", f"第{first}行"))
            continue
        tally.warn(row, result.warnings, result.notes)
        tally.classes[result.values["penalty_class"]] += 1
        drafts.append(result)
    return drafts, tally


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk
