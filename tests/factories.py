"""Factories for rows the tests need: companies, departments, penalty records."""

import hashlib
import itertools
from datetime import UTC, date, datetime

from sqlmodel import Session

from credit_repair.persistence.tables import Company, Department, PenaltyRecord

_counter = itertools.count(1)
CREATED = datetime(2026, 1, 5, tzinfo=UTC)


def make_department(engine, code: str = "SCJGJ", name: str | None = None) -> int:
    with Session(engine) as session:
        department = Department(code=code, name=name or f"市场监督管理局{code}")
        session.add(department)
        session.commit()
        return department.id


def make_record(
    engine,
    *,
    penalty_class: str = "general",
    decision_date: date | None = date(2025, 6, 1),
    published_on: date | None = date(2025, 6, 10),
    department_id: int | None = None,
    company_name: str | None = None,
    company_id: int | None = None,
    is_published: bool = True,
    published_where: str = "city",
    company_uscc: str | None = None,
    **columns,
) -> int:
    """A published penalty record; creates its company and department as needed.
    ``columns`` set any other column: ``decision_number``, ``facts``, …"""
    n = next(_counter)
    with Session(engine) as session:
        if department_id is None:
            department = Department(code=f"D{n}", name=f"处罚机关{n}")
            session.add(department)
            session.flush()
            department_id = department.id
        if company_id is None:
            name = company_name or f"昆明测试有限公司{n}"
            company = Company(
                name=name,
                uscc=company_uscc,
                identity_key=hashlib.sha256(name.encode()).hexdigest(),
                created_at=CREATED,
            )
            session.add(company)
            session.flush()
            company_id = company.id
        digest = hashlib.sha256(str(n).encode()).hexdigest()[:20]
        values = {
            "identity_key": f"record-{n}-{digest}",
            "decision_number": f"昆市监罚〔2025〕{n}号",
            "penalty_kinds": ["罚款"],
            "class_reason": "test",
            "content_hash": "0" * 64,
            **columns,
        }
        record = PenaltyRecord(
            company_id=company_id,
            department_id=department_id,
            penalty_class=penalty_class,
            decision_date=decision_date,
            published_on=published_on,
            is_published=is_published,
            published_where=published_where,
            created_at=CREATED,
            updated_at=CREATED,
            **values,
        )
        session.add(record)
        session.commit()
        return record.id


def department_code(engine, penalty_id: int) -> str:
    with Session(engine) as session:
        record = session.get(PenaltyRecord, penalty_id)
        return session.get(Department, record.department_id).code


def company_of(engine, penalty_id: int) -> int:
    with Session(engine) as session:
        return session.get(PenaltyRecord, penalty_id).company_id
