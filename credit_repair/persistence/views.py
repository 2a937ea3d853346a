"""Read models: a case as people see it, its history, a penalty record in full, and
the stored facts that eligibility is judged on."""

from sqlalchemy import Connection, select

from credit_repair.persistence.stores.audit import AUDIT, audit_row
from credit_repair.persistence.stores.cases import CASE, DOCUMENT, SqlCaseStore
from credit_repair.persistence.stores.deadlines import DEADLINE
from credit_repair.persistence.stores.records import COMPANY, DEPARTMENT, RECORD
from credit_repair.persistence.types import flag
from credit_repair.workflow.case_events import split_events
from credit_repair.workflow.errors import NotFound
from credit_repair.workflow.machines import allowed_events, restore, state_label
from credit_repair.workflow.model import ESCALATED


def penalty_summary(conn: Connection, penalty_id: int) -> dict:
    """The record's identifying fields, company and department."""
    row = conn.execute(
        select(
            RECORD.c.id,
            RECORD.c.decision_number,
            RECORD.c.penalty_class,
            RECORD.c.class_reason,
            RECORD.c.penalty_kinds,
            RECORD.c.decision_date,
            RECORD.c.published_on,
            RECORD.c.is_published,
            RECORD.c.published_where,
            DEPARTMENT.c.code.label("department_code"),
            DEPARTMENT.c.name.label("department_name"),
        )
        .join(DEPARTMENT, DEPARTMENT.c.id == RECORD.c.department_id)
        .where(RECORD.c.id == penalty_id)
    ).first()
    return dict(row._mapping) if row else {}


def company_summary(conn: Connection, company_id: int) -> dict:
    row = conn.execute(
        select(COMPANY.c.id, COMPANY.c.name, COMPANY.c.uscc, COMPANY.c.kind).where(
            COMPANY.c.id == company_id
        )
    ).first()
    return dict(row._mapping) if row else {}


def case_view(conn: Connection, case_id: int) -> dict:
    """Everything staff need to see about a case, in one dictionary."""
    case = SqlCaseStore(conn).get(case_id)
    machine = restore(case.procedure, case.state, f"case {case.id}")
    deadlines = conn.execute(
        select(DEADLINE)
        .where(DEADLINE.c.machine == case.procedure, DEADLINE.c.subject_id == case.id)
        .order_by(DEADLINE.c.id)
    ).all()
    documents = conn.execute(
        select(
            DOCUMENT.c.id,
            DOCUMENT.c.kind,
            DOCUMENT.c.name,
            DOCUMENT.c.size,
            DOCUMENT.c.sha256,
            DOCUMENT.c.received_at,
        )
        .where(DOCUMENT.c.case_id == case.id)
        .order_by(DOCUMENT.c.id)
    )
    escalated = frozenset(d.kind for d in deadlines if d.status == ESCALATED)
    callers, service = split_events(case.procedure, allowed_events(machine), escalated)
    return {
        "id": case.id,
        "procedure": case.procedure,
        "state": case.state,
        "state_label": state_label(case.procedure, case.state),
        "is_open": case.is_open,
        "version": case.version,
        "allowed_events": callers,
        "service_events": service,
        "channel": case.channel,
        "received_at": case.received_at,
        "penalty_class": case.penalty_class,
        "fulfilled": case.fulfilled,
        "escalated_at": case.escalated_at,
        "outcome": case.outcome,
        "regime": {"name": case.regime, "version": case.regime_version},
        "deadlines": [
            {
                "id": d.id,
                "kind": d.kind,
                "due_at": d.due_at,
                "provisional": d.provisional,
                "status": d.status,
                "explanation": d.explanation,
                "calendar_version": d.calendar_version,
                "fired_at": d.fired_at,
            }
            for d in deadlines
        ],
        "documents": [dict(d._mapping) for d in documents],
        "penalty": penalty_summary(conn, case.penalty_id),
        "company": company_summary(conn, case.company_id),
        "created_at": case.created_at,
        "updated_at": case.updated_at,
    }


def case_history(conn: Connection, case_id: int) -> list[dict]:
    """The case's audit rows, oldest first."""
    case = SqlCaseStore(conn).get(case_id)
    rows = conn.execute(
        select(AUDIT).where(AUDIT.c.stream == case.stream).order_by(AUDIT.c.seq)
    )
    history = []
    for row in rows:
        parsed = audit_row(row)
        fact = parsed.fact
        history.append(
            {
                "seq": parsed.seq,
                "stream_seq": parsed.stream_seq,
                "event": fact.event,
                "source": fact.source,
                "target": fact.target,
                "actor": fact.actor,
                "actor_role": fact.actor_role,
                "occurred_at": fact.occurred_at,
                "payload": fact.payload,
                "regime": fact.regime,
                "regime_version": fact.regime_version,
                "hash": parsed.hash,
            }
        )
    return history


def case_owner(conn: Connection, case_id: int) -> tuple[str, str]:
    """The case's procedure and the code of the department whose record it is."""
    row = conn.execute(
        select(CASE.c.procedure, DEPARTMENT.c.code)
        .join(DEPARTMENT, DEPARTMENT.c.id == CASE.c.department_id)
        .where(CASE.c.id == case_id)
    ).first()
    if row is None:
        raise NotFound("case", case_id)
    return row.procedure, row.code


_RECORD_DETAIL = [
    c for c in RECORD.columns if c.name not in ("identity_key", "content_hash")
]


def penalty_view(conn: Connection, penalty_id: int) -> dict:
    """A penalty record with its company, department and open case, if any."""
    open_case = (
        select(CASE.c.id)
        .where(CASE.c.penalty_id == RECORD.c.id, flag(CASE.c.is_open))
        .limit(1)
        .scalar_subquery()
    )
    row = conn.execute(
        select(*_RECORD_DETAIL, open_case.label("open_case_id")).where(
            RECORD.c.id == penalty_id
        )
    ).first()
    if row is None:
        raise NotFound("penalty record", penalty_id)
    view = dict(row._mapping)
    view["company"] = company_summary(conn, view.pop("company_id"))
    view["party_name"] = view["party_name"] or view["company"]["name"]
    department = conn.execute(
        select(DEPARTMENT.c.code, DEPARTMENT.c.name).where(
            DEPARTMENT.c.id == view.pop("department_id")
        )
    ).first()
    view["department"] = dict(department._mapping)
    return view
