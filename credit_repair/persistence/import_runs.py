"""Which import runs are still working, and which were interrupted.

A run's process writes ``updated_at`` with every chunk it commits (about one a
second), so a ``running`` run whose ``updated_at`` is older than ``STALE_AFTER``
belongs to a process that is gone (killed, or its machine lost). Such a run is
marked ``interrupted`` when the next import starts, in any process, or when the
runs are listed. The mark and every chunk's commit update the same row on the
condition that the run is still ``running``, so they exclude each other on any
database: a process that was only slow finds its run marked at its next chunk,
commits nothing of it and stops.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, select, update

from credit_repair.persistence.tables import ImportRun

RUN = ImportRun.__table__
STALE_AFTER = timedelta(minutes=10)
GONE = (
    "the importing process is gone: no chunk committed for "
    f"{int(STALE_AFTER.total_seconds() // 60)} minutes"
)


class RunNotRunning(RuntimeError):
    """Raised when a chunk is about to be committed for a run that is no longer
    ``running`` (another process marked it interrupted); the chunk is not kept."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"import run {run_id} was marked interrupted meanwhile")
        self.run_id = run_id


def wall_clock() -> datetime:
    """The machine's time: heartbeats compare across processes, never a test's
    clock of business time."""
    return datetime.now(UTC)


def mark_stale(conn: Connection, now: datetime) -> list[int]:
    """Mark every run that stopped beating ``interrupted``; returns their ids."""
    stale = conn.execute(
        update(RUN)
        .where(RUN.c.status == "running", RUN.c.updated_at < now - STALE_AFTER)
        .values(status="interrupted", error=GONE)
        .returning(RUN.c.id)
    )
    return sorted(stale.scalars())


def beat(conn: Connection, run_id: int, rows: int, last_row: int) -> None:
    """Count a chunk into its run, in the chunk's transaction; raises
    ``RunNotRunning`` when the run was marked interrupted meanwhile."""
    counted = conn.execute(
        update(RUN)
        .where(RUN.c.id == run_id, RUN.c.status == "running")
        .values(
            rows_committed=RUN.c.rows_committed + rows,
            last_row=last_row,
            updated_at=wall_clock(),
        )
    )
    if counted.rowcount != 1:
        raise RunNotRunning(run_id)


def list_runs(conn: Connection, limit: int = 20) -> list[dict]:
    """The latest runs, newest first, as the command line shows them."""
    rows = conn.execute(select(RUN).order_by(RUN.c.id.desc()).limit(limit))
    return [
        {
            "id": row.id,
            "filename": row.filename,
            "status": row.status,
            "started_at": row.started_at,
            "updated_at": row.updated_at,
            "rows_committed": row.rows_committed,
            "last_row": row.last_row,
            "error": row.error,
        }
        for row in rows
    ]
