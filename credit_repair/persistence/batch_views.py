"""Read models of a batch: the report staff see, each department's item list (the
shape it answers in), and the public notice as the portal publishes it. Every
value is JSON-ready."""

from datetime import date, datetime

from sqlalchemy import Connection, and_, case, false, func, select

from credit_repair.persistence.stores.batch_items import ITEM
from credit_repair.persistence.stores.batches import SqlBatchStore
from credit_repair.persistence.stores.deadlines import DEADLINE
from credit_repair.persistence.stores.records import COMPANY, DEPARTMENT, RECORD
from credit_repair.workflow.case_events import split_events
from credit_repair.workflow.errors import NotFound
from credit_repair.workflow.machines import allowed_events, restore, state_label
from credit_repair.workflow.model import OPEN_DEADLINE_STATUSES
from credit_repair.workflow.screening import SCREENED_AS

NOTICE_STATES = {"announced": "confirmed", "completed": "repaired"}


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


_DEADLINE_KEYS = (
    "id", "kind", "due_at", "provisional", "status", "explanation", "fired_at"
)  # fmt: skip


def _deadlines(conn: Connection, batch_id: int) -> list[dict]:
    rows = conn.execute(
        select(DEADLINE)
        .where(DEADLINE.c.machine == "batch", DEADLINE.c.subject_id == batch_id)
        .order_by(DEADLINE.c.id)
    )
    return [{k: row._mapping[k] for k in _DEADLINE_KEYS} for row in rows]


def _due(deadlines: list[dict], kind: str) -> datetime | None:
    return next((d["due_at"] for d in deadlines if d["kind"] == kind), None)


def batch_report(conn: Connection, batch_id: int, now: datetime | None = None) -> dict:
    """The batch, its deadlines and counts per state, department and reason for
    exclusion, and how promptly each department answered. The events the office
    may send once a phase's deadline has passed are told as of ``now``."""
    batch = SqlBatchStore(conn).get(batch_id)
    machine = restore("batch", batch.state, batch.label)
    deadlines = _deadlines(conn, batch_id)
    passed = frozenset(
        d["kind"]
        for d in deadlines
        if d["status"] in OPEN_DEADLINE_STATUSES and now and d["due_at"] <= now
    )
    callers, service = split_events("batch", allowed_events(machine), passed)
    return {
        "id": batch.id,
        "state": batch.state,
        "state_label": state_label("batch", batch.state),
        "is_open": batch.is_open,
        "version": batch.version,
        "allowed_events": callers,
        "service_events": service,
        "origin": batch.origin,
        "quarter": batch.quarter,
        "as_of": batch.as_of.isoformat(),
        "regime": {"name": batch.regime, "version": batch.regime_version},
        "started_by": batch.started_by,
        "screened": {
            "items": batch.item_count,
            "general": batch.general_count,
            "severe": batch.severe_count,
            "marked_specific_severe": batch.marked_count,
        },
        "by_state": _by_state(conn, batch_id),
        "by_reason": _by_reason(conn, batch_id),
        "by_department": _by_department(conn, batch_id),
        "timeliness": _timeliness(conn, batch_id, deadlines),
        "deadlines": [{k: _plain(v) for k, v in d.items()} for d in deadlines],
        "escalated_at": _plain(batch.escalated_at),
        "created_at": batch.created_at.isoformat(),
        "updated_at": batch.updated_at.isoformat(),
    }


def _by_state(conn: Connection, batch_id: int) -> dict[str, int]:
    rows = conn.execute(
        select(ITEM.c.state, func.count())
        .where(ITEM.c.batch_id == batch_id)
        .group_by(ITEM.c.state)
    )
    return dict(sorted((key, count) for key, count in rows))


def _by_reason(conn: Connection, batch_id: int) -> dict[str, int]:
    rows = conn.execute(
        select(ITEM.c.exclusion_code, func.count())
        .where(ITEM.c.batch_id == batch_id, ITEM.c.state == "excluded")
        .group_by(ITEM.c.exclusion_code)
    )
    return dict(sorted((key, count) for key, count in rows))


def _by_department(conn: Connection, batch_id: int) -> dict[str, dict]:
    rows = conn.execute(
        select(DEPARTMENT.c.code, DEPARTMENT.c.name, ITEM.c.state, func.count())
        .join(DEPARTMENT, DEPARTMENT.c.id == ITEM.c.department_id)
        .where(ITEM.c.batch_id == batch_id)
        .group_by(DEPARTMENT.c.code, DEPARTMENT.c.name, ITEM.c.state)
        .order_by(DEPARTMENT.c.code, ITEM.c.state)
    )
    departments: dict[str, dict] = {}
    for code, name, state, count in rows:
        entry = departments.setdefault(code, {"name": name, "items": 0, "states": {}})
        entry["items"] += count
        entry["states"][state] = count
    return departments


def _timeliness(conn: Connection, batch_id: int, deadlines: list[dict]) -> dict:
    """Per department: items answered before the confirmation deadline, after it
    (while the phase was still open) and never; ``status`` sums it up."""
    due = _due(deadlines, "confirmation")
    answered = ITEM.c.answered_at.is_not(None)
    late = and_(answered, ITEM.c.answered_at >= due) if due else false()
    rows = conn.execute(
        select(
            DEPARTMENT.c.code,
            func.count(),
            func.sum(case((answered & ~late, 1), else_=0)),
            func.sum(case((late, 1), else_=0)),
        )
        .join(DEPARTMENT, DEPARTMENT.c.id == ITEM.c.department_id)
        .where(ITEM.c.batch_id == batch_id)
        .group_by(DEPARTMENT.c.code)
        .order_by(DEPARTMENT.c.code)
    )
    report = {}
    for code, items, in_time, late_count in rows:
        status = "late" if late_count else "in_time" if in_time else "never"
        report[code] = {
            "status": status,
            "items": items,
            "answered_in_time": int(in_time),
            "answered_late": int(late_count),
            "unanswered": items - int(in_time) - int(late_count),
        }
    return report


#: The party as the record names it (行政相对人名称 as published).
_PARTY_NAME = func.coalesce(RECORD.c.party_name, COMPANY.c.name).label("company_name")


def department_items(
    conn: Connection, batch_id: int, department: str | None = None
) -> list[dict]:
    """The batch's items (of one department when given), in the shape a
    department exports and returns filled in (``fulfilled`` true or false)."""
    SqlBatchStore(conn).get(batch_id)
    query = (
        select(
            ITEM.c.id.label("item_id"),
            DEPARTMENT.c.code.label("department_code"),
            DEPARTMENT.c.name.label("department_name"),
            _PARTY_NAME,
            COMPANY.c.uscc,
            RECORD.c.id.label("penalty_id"),
            RECORD.c.decision_number,
            ITEM.c.penalty_class,
            RECORD.c.penalty_kinds,
            RECORD.c.decision_date,
            RECORD.c.published_on,
            ITEM.c.period_start,
            ITEM.c.marked_specific_severe,
            ITEM.c.state,
            ITEM.c.fulfilled,
            ITEM.c.answered_at,
            ITEM.c.exclusion_code,
            ITEM.c.exclusion_text,
        )
        .join(DEPARTMENT, DEPARTMENT.c.id == ITEM.c.department_id)
        .join(RECORD, RECORD.c.id == ITEM.c.penalty_id)
        .join(COMPANY, COMPANY.c.id == ITEM.c.company_id)
        .where(ITEM.c.batch_id == batch_id)
        .order_by(ITEM.c.id)
    )
    if department is not None:
        query = query.where(DEPARTMENT.c.code == department)
    items = []
    for row in conn.execute(query):
        item = {k: _plain(v) for k, v in row._mapping.items()}
        item["group"] = str(SCREENED_AS[item["penalty_class"]])
        item["penalty_kinds"] = "、".join(item["penalty_kinds"] or [])
        items.append(item)
    return items


def notice(conn: Connection, batch_id: int) -> dict:
    """The public notice (公示) of a batch once announced: the records to be
    repaired, without internal fields."""
    batch = SqlBatchStore(conn).get(batch_id)
    if batch.state not in NOTICE_STATES:
        raise NotFound("public notice of batch", batch_id)
    notice_until = _due(_deadlines(conn, batch_id), "notice")
    rows = conn.execute(
        select(
            ITEM.c.id.label("item_id"),
            _PARTY_NAME,
            COMPANY.c.uscc,
            RECORD.c.decision_number,
            DEPARTMENT.c.name.label("department_name"),
            ITEM.c.penalty_class,
            RECORD.c.decision_date,
            RECORD.c.published_on,
        )
        .join(DEPARTMENT, DEPARTMENT.c.id == ITEM.c.department_id)
        .join(RECORD, RECORD.c.id == ITEM.c.penalty_id)
        .join(COMPANY, COMPANY.c.id == ITEM.c.company_id)
        .where(ITEM.c.batch_id == batch_id, ITEM.c.state == NOTICE_STATES[batch.state])
        .order_by(ITEM.c.id)
    )
    return {
        "batch_id": batch.id,
        "state": batch.state,
        "notice_until": _plain(notice_until),
        "items": [{k: _plain(v) for k, v in row._mapping.items()} for row in rows],
    }
