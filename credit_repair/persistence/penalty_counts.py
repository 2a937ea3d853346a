"""Counts of stored penalty records by class, deciding authority and province."""

from sqlalchemy import Engine, func, select

from credit_repair.persistence.db import reading
from credit_repair.persistence.tables import Department, PenaltyRecord

RECORD = PenaltyRecord.__table__
DEPARTMENT = Department.__table__
UNKNOWN = "(unknown)"


def count_penalties(engine: Engine, *, top: int | None = None) -> dict:
    """Totals, and counts by class, authority (most records first, ``top`` of them)
    and province (the record's, else its authority's), each as ``[name, records]``."""
    count = func.count(RECORD.c.id).label("records")
    province = func.coalesce(RECORD.c.province, DEPARTMENT.c.province).label("province")
    by_authority = (
        select(DEPARTMENT.c.name, count)
        .join(DEPARTMENT, DEPARTMENT.c.id == RECORD.c.department_id)
        .group_by(DEPARTMENT.c.name)
        .order_by(count.desc(), DEPARTMENT.c.name)
        .limit(top)
    )
    with reading(engine) as conn:
        total, published = conn.execute(
            select(count, func.count().filter(RECORD.c.is_published))
        ).one()
        classes = conn.execute(
            select(RECORD.c.penalty_class, count)
            .group_by(RECORD.c.penalty_class)
            .order_by(RECORD.c.penalty_class)
        ).all()
        authorities = conn.execute(by_authority).all()
        authority_total = conn.execute(
            select(func.count(func.distinct(RECORD.c.department_id)))
        ).scalar_one()
        provinces = conn.execute(
            select(province, count)
            .join(DEPARTMENT, DEPARTMENT.c.id == RECORD.c.department_id)
            .group_by(province)
            .order_by(count.desc(), province)
        ).all()
    return {
        "records": total,
        "published": published,
        "by_class": [[name, n] for name, n in classes],
        "authorities": authority_total,
        "by_authority": [[name, n] for name, n in authorities],
        "by_province": [[name or UNKNOWN, n] for name, n in provinces],
    }
