"""Filtered, paginated lists for staff and the portal: cases, penalty records,
batches and the publication-change feed."""

from datetime import datetime

from sqlalchemy import Connection, and_, exists, func, not_, or_, select

from credit_repair.persistence.stores.batches import BATCH
from credit_repair.persistence.stores.cases import CASE
from credit_repair.persistence.stores.deadlines import DEADLINE
from credit_repair.persistence.stores.outbox import FEED
from credit_repair.persistence.stores.records import COMPANY, DEPARTMENT, RECORD
from credit_repair.workflow.machines import state_label


def _page(conn: Connection, query, order, limit: int, offset: int):
    total = conn.execute(
        select(func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    rows = conn.execute(query.order_by(*order).limit(limit).offset(offset))
    return [dict(r._mapping) for r in rows], total


def overdue_condition(now: datetime):
    """An open case that was escalated or has a pending deadline already due."""
    late_deadline = exists().where(
        DEADLINE.c.machine == CASE.c.procedure,
        DEADLINE.c.subject_id == CASE.c.id,
        DEADLINE.c.status == "pending",
        DEADLINE.c.due_at <= now,
    )
    return and_(CASE.c.is_open, or_(CASE.c.escalated_at.is_not(None), late_deadline))


def list_cases(
    conn: Connection,
    *,
    now: datetime,
    state: str | None = None,
    procedure: str | None = None,
    department: str | None = None,
    penalty_id: int | None = None,
    overdue: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict], int]:
    """Cases newest first, with their record, company and next pending deadline;
    returns the page and the number of matching cases."""
    next_due = (
        select(func.min(DEADLINE.c.due_at))
        .where(
            DEADLINE.c.machine == CASE.c.procedure,
            DEADLINE.c.subject_id == CASE.c.id,
            DEADLINE.c.status == "pending",
        )
        .scalar_subquery()
    )
    query = (
        select(
            CASE.c.id,
            CASE.c.procedure,
            CASE.c.state,
            CASE.c.is_open,
            CASE.c.version,
            CASE.c.penalty_id,
            RECORD.c.decision_number,
            CASE.c.company_id,
            COMPANY.c.name.label("company_name"),
            DEPARTMENT.c.code.label("department_code"),
            CASE.c.penalty_class,
            CASE.c.channel,
            CASE.c.received_at,
            CASE.c.escalated_at,
            CASE.c.updated_at,
            next_due.label("next_due_at"),
        )
        .join(RECORD, RECORD.c.id == CASE.c.penalty_id)
        .join(COMPANY, COMPANY.c.id == CASE.c.company_id)
        .join(DEPARTMENT, DEPARTMENT.c.id == CASE.c.department_id)
    )
    filters = {
        CASE.c.state: state,
        CASE.c.procedure: procedure,
        DEPARTMENT.c.code: department,
        CASE.c.penalty_id: penalty_id,
    }
    for column, value in filters.items():
        if value is not None:
            query = query.where(column == value)
    if overdue is not None:
        late = overdue_condition(now)
        query = query.where(late if overdue else not_(late))
    items, total = _page(conn, query, [CASE.c.id.desc()], limit, offset)
    for item in items:
        item["state_label"] = state_label(item["procedure"], item["state"])
    return items, total


PENALTY_ROW = (
    select(
        RECORD.c.id,
        RECORD.c.decision_number,
        RECORD.c.company_id,
        COMPANY.c.name.label("company_name"),
        func.coalesce(RECORD.c.party_name, COMPANY.c.name).label("party_name"),
        COMPANY.c.uscc,
        DEPARTMENT.c.code.label("department_code"),
        DEPARTMENT.c.name.label("department_name"),
        RECORD.c.penalty_kinds,
        RECORD.c.penalty_class,
        RECORD.c.decision_date,
        RECORD.c.published_on,
        RECORD.c.is_published,
        RECORD.c.published_where,
    )
    .join(COMPANY, COMPANY.c.id == RECORD.c.company_id)
    .join(DEPARTMENT, DEPARTMENT.c.id == RECORD.c.department_id)
)


def list_penalties(
    conn: Connection,
    *,
    department: str | None = None,
    penalty_class: str | None = None,
    published: bool | None = None,
    uscc: str | None = None,
    company_name: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict], int]:
    """Penalty records newest first; ``company_name`` matches any part of the
    company's name or of the name a record was published under."""
    query = PENALTY_ROW
    filters = {
        DEPARTMENT.c.code: department,
        RECORD.c.penalty_class: penalty_class,
        RECORD.c.is_published: published,
        COMPANY.c.uscc: uscc,
    }
    for column, value in filters.items():
        if value is not None:
            query = query.where(column == value)
    if company_name:
        pattern = "%" + _escape_like(company_name) + "%"
        query = query.where(
            or_(
                COMPANY.c.name.like(pattern, escape="\\"),
                RECORD.c.party_name.like(pattern, escape="\\"),
            )
        )
    return _page(conn, query, [RECORD.c.id.desc()], limit, offset)


def list_batches(
    conn: Connection, *, state: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[dict], int]:
    """Batches newest first, with their screening counts."""
    query = select(
        BATCH.c.id,
        BATCH.c.state,
        BATCH.c.is_open,
        BATCH.c.version,
        BATCH.c.origin,
        BATCH.c.quarter,
        BATCH.c.as_of,
        BATCH.c.started_by,
        BATCH.c.item_count,
        BATCH.c.escalated_at,
        BATCH.c.created_at,
        BATCH.c.updated_at,
    )
    if state is not None:
        query = query.where(BATCH.c.state == state)
    items, total = _page(conn, query, [BATCH.c.id.desc()], limit, offset)
    for item in items:
        item["state_label"] = state_label("batch", item["state"])
    return items, total


def publication_changes(conn: Connection, after: int, limit: int) -> list[dict]:
    """Feed entries with a sequence number above ``after``, in order, each naming
    the record so that the portal can find it."""
    rows = conn.execute(
        select(
            FEED.c.seq,
            FEED.c.penalty_id,
            FEED.c.action,
            FEED.c.published,
            FEED.c.reason,
            FEED.c.occurred_at,
            RECORD.c.decision_number,
            COMPANY.c.name.label("company_name"),
            COMPANY.c.uscc,
        )
        .join(RECORD, RECORD.c.id == FEED.c.penalty_id)
        .join(COMPANY, COMPANY.c.id == RECORD.c.company_id)
        .where(FEED.c.seq > after)
        .order_by(FEED.c.seq)
        .limit(limit)
    )
    return [dict(r._mapping) for r in rows]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
