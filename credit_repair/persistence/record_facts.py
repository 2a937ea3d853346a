"""Eligibility facts of a stored penalty record: the record, its company's bar
from commitment repair, and the department's latest answer on performance.
"""

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from credit_repair.persistence.tables import Bar, Case, PenaltyRecord
from credit_repair.workflow.eligibility import CompanyFacts, RecordFacts


def load_record_facts(
    engine: Engine, record_id: int
) -> tuple[RecordFacts, CompanyFacts] | None:
    """The facts about record ``record_id``, or None when there is no such record."""
    with Session(engine) as session:
        record = session.get(PenaltyRecord, record_id)
        if record is None:
            return None
        bar = session.exec(
            select(Bar).where(Bar.company_id == record.company_id)
        ).first()
        fulfilled = session.exec(
            select(Case.fulfilled)
            .where(Case.penalty_id == record_id, col(Case.fulfilled).is_not(None))
            .order_by(col(Case.id).desc())
        ).first()
    facts = RecordFacts(
        penalty_class=record.penalty_class,
        decision_date=record.decision_date,
        published_on=record.published_on,
        is_published=record.is_published,
        published_where=record.published_where,
        fulfilled=fulfilled,
    )
    company = CompanyFacts(
        is_barred=bar is not None, barred_reason=bar.reason if bar else None
    )
    return facts, company
