"""What the batch tests share: a workflow on an engine, a scheduler sweep, the
state of items, and a process restart (fresh engine and workflow objects)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from credit_repair.persistence.db import make_engine
from credit_repair.persistence.tables import AuditEntry, BatchItem, Deadline
from credit_repair.persistence.unit_of_work import SqlUnitOfWork
from credit_repair.scheduler.runner import DeadlineScheduler
from credit_repair.workflow.calendar import WorkingCalendar
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.model import Actor
from credit_repair.workflow.regimes import load_regime

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = Actor("王芳", "office")
PORTAL = Actor("portal", "intake")
ITEM = BatchItem.__table__
DEADLINE = Deadline.__table__
AUDIT = AuditEntry.__table__


def local(*args) -> datetime:
    """An instant given in Shanghai time, as UTC."""
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)


def workflow(engine, clock) -> Workflow:
    return Workflow(
        unit_of_work=lambda: SqlUnitOfWork(engine, clock),
        clock=clock,
        calendar=WorkingCalendar(),
        regime=load_regime("kunming-2020"),
    )


def restart(engine, database_url, clock):
    """The process stops and starts again: nothing but the database survives."""
    engine.dispose()
    fresh = make_engine(database_url)
    return fresh, workflow(fresh, clock)


def sweep(wf, engine) -> int:
    """One pass of the deadline scheduler: fires every deadline due by the clock."""
    scheduler = DeadlineScheduler(wf, engine)
    try:
        return scheduler.sweep()
    finally:
        scheduler.shutdown(wait=False)


def department(code: str) -> Actor:
    return Actor(f"{code}联络员", "department", code)


def items(engine, batch_id: int) -> dict[int, dict]:
    """Item id → its stored row, for one batch."""
    with engine.connect() as conn:
        rows = conn.execute(select(ITEM).where(ITEM.c.batch_id == batch_id))
        return {row.id: dict(row._mapping) for row in rows}


def deadline_statuses(engine, batch_id: int) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(DEADLINE.c.kind, DEADLINE.c.status).where(
                DEADLINE.c.machine == "batch", DEADLINE.c.subject_id == batch_id
            )
        )
        return {kind: status for kind, status in rows}


def batch_events(engine, batch_id: int) -> list[str]:
    """The events of the batch's own log, in order."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(AUDIT.c.event)
            .where(AUDIT.c.stream == f"batch:{batch_id}")
            .order_by(AUDIT.c.seq)
        )
        return list(rows.scalars())
