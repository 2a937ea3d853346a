"""Deadline rows: the truth the scheduler works from."""

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import Connection, bindparam, case, insert, select, update

from credit_repair.persistence.tables import Case, Deadline
from credit_repair.workflow.errors import NotFound
from credit_repair.workflow.model import (
    ESCALATED,
    OPEN_DEADLINE_STATUSES,
    DeadlineData,
)

DEADLINE = Deadline.__table__
CASE = Case.__table__

_INSERT = insert(DEADLINE)
_GET = select(DEADLINE).where(DEADLINE.c.id == bindparam("deadline_id"))
_FOR_SUBJECT = (
    select(DEADLINE)
    .where(
        DEADLINE.c.machine == bindparam("machine"),
        DEADLINE.c.subject_id == bindparam("subject_id"),
    )
    .order_by(DEADLINE.c.id)
)
_UNSETTLED = (
    select(DEADLINE)
    .where(
        DEADLINE.c.status.in_(OPEN_DEADLINE_STATUSES),
        DEADLINE.c.machine.in_(bindparam("machines", expanding=True)),
    )
    .order_by(DEADLINE.c.id)
)
_RESCHEDULE = update(DEADLINE).where(
    DEADLINE.c.id == bindparam("b_id"),
    DEADLINE.c.status.in_(OPEN_DEADLINE_STATUSES),
)
_KEEP_OPEN = update(DEADLINE).where(
    DEADLINE.c.id == bindparam("b_id"), DEADLINE.c.status == "fired"
)
_CLAIM = update(DEADLINE).where(
    DEADLINE.c.id == bindparam("b_id"),
    DEADLINE.c.status == "pending",
    DEADLINE.c.due_at <= bindparam("b_now"),
)


def deadline_from_row(row) -> DeadlineData:
    data = dict(row._mapping)
    data.pop("created_at", None)
    return DeadlineData(**data)


class SqlDeadlineStore:
    def __init__(self, conn: Connection, clock) -> None:
        self.conn = conn
        self.clock = clock

    def add(self, deadline: DeadlineData) -> int:
        values = {k: v for k, v in deadline.__dict__.items() if k != "id"}
        values["created_at"] = self.clock.now()
        return self.conn.execute(_INSERT, values).inserted_primary_key[0]

    def get(self, deadline_id: int) -> DeadlineData:
        row = self.conn.execute(_GET, {"deadline_id": deadline_id}).first()
        if row is None:
            raise NotFound("deadline", deadline_id)
        return deadline_from_row(row)

    def for_subject(self, machine: str, subject_id: int) -> list[DeadlineData]:
        rows = self.conn.execute(
            _FOR_SUBJECT, {"machine": machine, "subject_id": subject_id}
        )
        return [deadline_from_row(r) for r in rows]

    def settle(
        self,
        machine: str,
        subject_id: int,
        kinds: Sequence[str] | None,
        status: str,
        at: datetime,
    ) -> int:
        if kinds is None:
            return self.settle_each(machine, subject_id, {}, status, at)
        return self.settle_each(
            machine, subject_id, dict.fromkeys(kinds, status), None, at
        )

    def settle_each(
        self,
        machine: str,
        subject_id: int,
        statuses: Mapping[str, str],
        others: str | None,
        at: datetime,
    ) -> int:
        if not statuses and others is None:
            return 0
        kinds = list(statuses)
        status = others if others is not None else statuses[kinds[0]]
        uniform = all(each == status for each in statuses.values())
        values = {"b_machine": machine, "b_subject_id": subject_id, "b_status": status}
        values |= {f"k{i}": kind for i, kind in enumerate(kinds)}
        if not uniform:
            values |= {f"s{i}": each for i, each in enumerate(statuses.values())}
        statement = _settle_statement(len(kinds), uniform, others is not None)
        return self.conn.execute(statement, values).rowcount

    def unsettled(self, machines: Sequence[str]) -> list[DeadlineData]:
        rows = self.conn.execute(_UNSETTLED, {"machines": list(machines)})
        return [deadline_from_row(r) for r in rows]

    def reschedule(self, deadline_id: int, due, status: str = "pending") -> None:
        """Move an open deadline to a recomputed ``deadlines.Deadline``."""
        values = {
            "b_id": deadline_id,
            "status": status,
            "due_at": due.due_at,
            "inputs": due.inputs(),
            "calendar_version": due.calendar_version,
            "provisional": due.provisional,
            "explanation": due.explain(),
        }
        self.conn.execute(_RESCHEDULE, values)

    def keep_open(self, deadline_id: int) -> None:
        """A claimed deadline that only escalated waits, ``escalated``, for the
        official calendar."""
        self.conn.execute(_KEEP_OPEN, {"b_id": deadline_id, "status": ESCALATED})

    def claim(self, deadline_id: int, now: datetime) -> DeadlineData | None:
        """Mark a due pending deadline fired. The case it belongs to is locked
        first, in the same order as every event on that case."""
        subject = self.conn.execute(
            select(DEADLINE.c.machine, DEADLINE.c.subject_id).where(
                DEADLINE.c.id == deadline_id
            )
        ).first()
        if subject is None:
            return None
        self.conn.execute(
            select(CASE.c.id)
            .where(CASE.c.id == subject.subject_id, CASE.c.procedure == subject.machine)
            .with_for_update()
        )
        result = self.conn.execute(
            _CLAIM,
            {"b_id": deadline_id, "b_now": now, "status": "fired", "fired_at": now},
        )
        return self.get(deadline_id) if result.rowcount == 1 else None


@functools.cache
def _settle_statement(count: int, uniform: bool, others: bool):
    """The UPDATE of one subject's open deadlines, built once per shape.

    Binds ``k0``… name ``count`` kinds; with ``others`` every other kind is settled
    too. ``b_status`` is the status of all of them when ``uniform``, else of the
    other kinds, each named kind taking its own ``s0``…. Fixed binds rather than an
    expanding IN, so that the SQL is not rendered again on every call.
    """
    kinds = [bindparam(f"k{i}") for i in range(count)]
    statement = update(DEADLINE).where(
        DEADLINE.c.machine == bindparam("b_machine"),
        DEADLINE.c.subject_id == bindparam("b_subject_id"),
        DEADLINE.c.status.in_(OPEN_DEADLINE_STATUSES),
    )
    if not others:
        statement = statement.where(DEADLINE.c.kind.in_(kinds))
    if uniform:
        return statement.values(status=bindparam("b_status"))
    whens = [(DEADLINE.c.kind == k, bindparam(f"s{i}")) for i, k in enumerate(kinds)]
    return statement.values(status=case(*whens, else_=bindparam("b_status")))


def due_deadline_ids(conn: Connection, now: datetime, limit: int = 500) -> list[int]:
    """Pending deadlines that are due, oldest first."""
    return list(
        conn.execute(
            select(DEADLINE.c.id)
            .where(DEADLINE.c.status == "pending", DEADLINE.c.due_at <= now)
            .order_by(DEADLINE.c.due_at, DEADLINE.c.id)
            .limit(limit)
        ).scalars()
    )


def pending_deadlines(conn: Connection) -> list[tuple[int, datetime]]:
    """Every pending deadline's id and due instant, for rebuilding scheduler jobs."""
    rows = conn.execute(
        select(DEADLINE.c.id, DEADLINE.c.due_at).where(DEADLINE.c.status == "pending")
    )
    return [(r.id, r.due_at) for r in rows]


def deadline_subject(conn: Connection, deadline_id: int) -> tuple[str, int] | None:
    """The machine and subject id a deadline belongs to."""
    row = conn.execute(
        select(DEADLINE.c.machine, DEADLINE.c.subject_id).where(
            DEADLINE.c.id == deadline_id
        )
    ).first()
    return (row.machine, row.subject_id) if row else None
