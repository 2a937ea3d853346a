"""Counts for the metrics endpoint, taken from the tables at scrape time so that
every process (API or scheduler) reports the same figures."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, String, case, cast, func, select

from credit_repair.persistence.stores.audit import AUDIT
from credit_repair.persistence.stores.cases import CASE
from credit_repair.persistence.stores.deadlines import DEADLINE
from credit_repair.persistence.stores.records import DEPARTMENT


def cases_by_state(conn: Connection) -> list[tuple[str, str, int]]:
    """(procedure, state, number of cases)."""
    rows = conn.execute(
        select(CASE.c.procedure, CASE.c.state, func.count()).group_by(
            CASE.c.procedure, CASE.c.state
        )
    )
    return [tuple(r) for r in rows]


def transitions_by_event(conn: Connection) -> list[tuple[str, str, int]]:
    """(machine, event, number of logged transitions), creations included."""
    rows = conn.execute(
        select(AUDIT.c.machine, AUDIT.c.event, func.count())
        .where(AUDIT.c.target.is_not(None))
        .group_by(AUDIT.c.machine, AUDIT.c.event)
    )
    return [tuple(r) for r in rows]


def escalations_by_department(conn: Connection) -> list[tuple[str, int]]:
    """(department code, number of escalations of its cases)."""
    stream = CASE.c.procedure + ":" + cast(CASE.c.id, String)
    rows = conn.execute(
        select(DEPARTMENT.c.code, func.count())
        .select_from(AUDIT)
        .join(CASE, stream == AUDIT.c.stream)
        .join(DEPARTMENT, DEPARTMENT.c.id == CASE.c.department_id)
        .where(AUDIT.c.event == "escalate")
        .group_by(DEPARTMENT.c.code)
    )
    return [tuple(r) for r in rows]


@dataclass(frozen=True)
class Lateness:
    """How late the fired deadlines of one kind fired: cumulative bucket counts."""

    kind: str
    count: int
    total_seconds: float
    buckets: tuple[tuple[float, int], ...]


def fired_deadline_lateness(
    conn: Connection, bounds: Sequence[float]
) -> list[Lateness]:
    """Per deadline kind, the number fired and how many fired within each bound
    (seconds after the due instant)."""
    late = _seconds_between(conn, DEADLINE.c.due_at, DEADLINE.c.fired_at)
    within = [
        func.sum(case((late <= bound, 1), else_=0)).label(f"b{i}")
        for i, bound in enumerate(bounds)
    ]
    rows = conn.execute(
        select(DEADLINE.c.kind, func.count(), func.sum(late), *within)
        .where(DEADLINE.c.status == "fired", DEADLINE.c.fired_at.is_not(None))
        .group_by(DEADLINE.c.kind)
    )
    return [
        Lateness(
            kind=row[0],
            count=row[1],
            total_seconds=float(row[2] or 0),
            buckets=tuple(
                (bound, int(row[3 + i] or 0)) for i, bound in enumerate(bounds)
            ),
        )
        for row in rows
    ]


def _seconds_between(conn: Connection, start, end):
    if conn.dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return func.extract("epoch", end - start)
