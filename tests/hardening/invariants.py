"""Whole-database invariants after crashes and races: each deadline that fell due
fired exactly once, and an import left whole chunks only."""

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select

from credit_repair.persistence.tables import (
    AuditEntry,
    Deadline,
    ImportRun,
    Notification,
    PenaltyRecord,
)

AUDIT, DEADLINE, NOTICE = (
    AuditEntry.__table__,
    Deadline.__table__,
    Notification.__table__,
)
RUN, RECORD = ImportRun.__table__, PenaltyRecord.__table__
#: Events the scheduler sends when a deadline fires; each row names its deadline.
FIRING_EVENTS = ("escalate", "expire_proof", "flag_overdue")


def deadline_problems(engine, swept_at: datetime) -> tuple[list[str], int]:
    """Problems with deadline firings, and how many deadlines fired. A deadline
    fires once: one audit row and at most one notice name it, and none due
    before the last completed sweep (``swept_at``) is still pending."""
    with engine.connect() as conn:
        deadlines = conn.execute(
            select(DEADLINE.c.id, DEADLINE.c.status, DEADLINE.c.due_at)
        ).all()
        rows = conn.execute(
            select(AUDIT.c.payload).where(AUDIT.c.event.in_(FIRING_EVENTS))
        ).scalars()
        in_log = Counter(payload["deadline"]["id"] for payload in rows)
        notices = conn.execute(select(NOTICE.c.payload)).scalars()
        noticed = Counter(p["deadline_id"] for p in notices if "deadline_id" in p)

    problems = [
        f"deadline {d} is in the log {n} times" for d, n in in_log.items() if n > 1
    ]
    problems += [
        f"deadline {d} was announced {n} times" for d, n in noticed.items() if n > 1
    ]
    fired = 0
    for deadline in deadlines:
        if deadline.status == "fired":
            fired += 1
            if in_log[deadline.id] != 1:
                problems.append(f"deadline {deadline.id} fired without a log row")
        elif in_log[deadline.id]:
            problems.append(
                f"deadline {deadline.id} is {deadline.status} but in the log"
            )
        if deadline.status == "pending" and deadline.due_at <= swept_at:
            problems.append(f"deadline {deadline.id} due {deadline.due_at} never fired")
    return problems, fired


def import_problems(engine, chunk_rows: int) -> list[str]:
    """Runs that kept a part of a chunk, or records beyond a run's last row. A run
    that did not complete has whole chunks committed and says which rows are in."""
    problems = []
    with engine.connect() as conn:
        runs = conn.execute(select(RUN)).all()
        extent = dict(
            (run_id, (count, last))
            for run_id, count, last in conn.execute(
                select(
                    RECORD.c.import_run_id, func.count(), func.max(RECORD.c.source_row)
                ).group_by(RECORD.c.import_run_id)
            )
        )
    for run in runs:
        count, last = extent.get(run.id, (0, None))
        if run.status == "completed":
            if run.rows_committed != run.summary.get("read"):
                problems.append(f"run {run.id} completed with a partial count")
        elif run.rows_committed % chunk_rows:
            problems.append(
                f"run {run.id} kept {run.rows_committed} rows: a part chunk"
            )
        if count > run.rows_committed:
            problems.append(
                f"run {run.id} holds {count} records for {run.rows_committed} rows"
            )
        if last is not None and (run.last_row is None or last > run.last_row):
            problems.append(
                f"run {run.id} holds row {last} beyond its last row {run.last_row}"
            )
    return problems
