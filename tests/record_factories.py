"""Factories for stored penalty records and cases, with working defaults."""

from datetime import UTC, date, datetime

from sqlmodel import Session

from credit_repair.persistence.tables import Case, Company, Department, PenaltyRecord

CREATED = datetime(2026, 1, 5, tzinfo=UTC)


def add_record(session: Session, **changes) -> PenaltyRecord:
    """A stored general record, decided 2025-09-01, of a fresh company and
    department; ``changes`` override any record field."""
    company = Company(name="昆明某某有限公司", identity_key="c-1", created_at=CREATED)
    department = Department(code="amr", name="市场监督管理局")
    session.add_all([company, department])
    session.flush()
    fields = {
        "identity_key": "r-1",
        "company_id": company.id,
        "department_id": department.id,
        "penalty_class": "general",
        "class_reason": "fine only",
        "content_hash": "0" * 64,
        "decision_date": date(2025, 9, 1),
        "published_on": date(2025, 9, 5),
        "created_at": CREATED,
        "updated_at": CREATED,
    }
    record = PenaltyRecord(**{**fields, **changes})
    session.add(record)
    session.flush()
    return record


def add_case(session: Session, record: PenaltyRecord, fulfilled: bool | None) -> Case:
    """A closed commitment case on ``record`` with the department's answer."""
    received = datetime(2026, 2, 1, tzinfo=UTC)
    case = Case(
        procedure="commitment",
        state="relisted_barred",
        is_open=False,
        penalty_id=record.id,
        company_id=record.company_id,
        department_id=record.department_id,
        regime="kunming-2020",
        regime_version="1",
        channel="website",
        received_at=received,
        penalty_class=record.penalty_class,
        fulfilled=fulfilled,
        created_at=received,
        updated_at=received,
    )
    session.add(case)
    session.flush()
    return case
