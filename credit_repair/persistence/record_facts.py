"""Eligibility facts of a stored penalty record: the record, what holds it now (an
open case or batch item), its company's bar from commitment repair, and the
department's latest answer on performance."""

from sqlalchemy import Connection, select

from credit_repair.persistence.stores.cases import (
    CASE,
    OPEN_CASE_FOR_RECORD,
    OPEN_ITEM_FOR_RECORD,
)
from credit_repair.persistence.stores.outbox import BAR
from credit_repair.persistence.stores.records import DEPARTMENT, RECORD
from credit_repair.workflow.eligibility import CompanyFacts, RecordFacts
from credit_repair.workflow.errors import NotFound


def load_record_facts(
    conn: Connection, penalty_id: int
) -> tuple[RecordFacts, CompanyFacts, str]:
    """The facts eligibility is judged on for record ``penalty_id``, and the code
    of its department; NotFound when there is no such record."""
    row = conn.execute(
        select(RECORD, DEPARTMENT.c.code.label("department_code"))
        .join(DEPARTMENT, DEPARTMENT.c.id == RECORD.c.department_id)
        .where(RECORD.c.id == penalty_id)
    ).first()
    if row is None:
        raise NotFound("penalty record", penalty_id)
    fulfilled = conn.execute(
        select(CASE.c.fulfilled)
        .where(CASE.c.penalty_id == penalty_id, CASE.c.fulfilled.is_not(None))
        .order_by(CASE.c.id.desc())
        .limit(1)
    ).scalar()
    bar = conn.execute(
        select(BAR.c.reason, BAR.c.case_id).where(BAR.c.company_id == row.company_id)
    ).first()
    record = RecordFacts(
        penalty_class=row.penalty_class,
        decision_date=row.decision_date,
        published_on=row.published_on,
        is_published=row.is_published,
        published_where=row.published_where,
        fulfilled=fulfilled,
        held_by=_holder(conn, penalty_id),
    )
    company = CompanyFacts(
        is_barred=bar is not None,
        barred_reason=bar.reason if bar else None,
        barred_by_case=bar.case_id if bar else None,
    )
    return record, company, row.department_code


def _holder(conn: Connection, penalty_id: int) -> dict[str, int] | None:
    """The open case or open batch item that holds the record, if any."""
    params = {"penalty_id": penalty_id}
    if (case_id := conn.execute(OPEN_CASE_FOR_RECORD, params).scalar()) is not None:
        return {"case_id": case_id}
    item = conn.execute(OPEN_ITEM_FOR_RECORD, params).first()
    return {"batch_id": item.batch_id, "item_id": item.id} if item else None
