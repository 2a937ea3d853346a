"""Generated penalty records for the batch benchmark, written by the database
itself (a recursive CTE on SQLite, ``generate_series`` on PostgreSQL)."""

from datetime import date

from sqlalchemy import Engine, text

DEPARTMENTS = 40
COMPANIES = 200_000
CREATED = "2026-01-05 00:00:00"

# Record n: mostly general, every 20th severe, every 97th specific severe, every
# 50th no longer published; decided between the youngest and oldest age (days)
# before the as-of day, spread by a multiplicative hash of n.
_RECORDS = """
INSERT INTO penalty_record (identity_key, identity_derived, company_id,
    department_id, penalty_kinds, penalty_class, class_reason, decision_date,
    published_on, published_where, is_published, content_hash, created_at,
    updated_at)
SELECT 'bench-' || n, {false}, 1 + n % {companies}, 1 + n % {departments},
       '["罚款"]',
       CASE WHEN n % 97 = 0 THEN 'specific_severe'
            WHEN n % 20 = 0 THEN 'severe' ELSE 'general' END,
       'generated', {decided}, {published}, 'city', n % 50 <> 0,
       '{zeros}', {created}, {created}
FROM numbers
"""


def fill(
    engine: Engine, rows: int, as_of: date, ages: tuple[int, int] = (95, 424)
) -> None:
    """``rows`` records over 40 departments and up to 200,000 companies."""
    postgres = engine.dialect.name == "postgresql"
    companies = min(COMPANIES, rows)
    created = f"TIMESTAMPTZ '{CREATED}+00'" if postgres else f"'{CREATED}.000000'"
    statements = [
        _numbers(postgres, DEPARTMENTS) + "INSERT INTO department (code, name) "
        "SELECT 'B' || n, '处罚机关' || n FROM numbers",
        _numbers(postgres, companies)
        + "INSERT INTO company (name, kind, identity_key, created_at) "
        f"SELECT '基准测试公司' || n, '法人及非法人组织', 'bench-' || n, {created} "
        "FROM numbers",
        _numbers(postgres, rows)
        + _RECORDS.format(
            false="false" if postgres else "0",
            companies=companies,
            departments=DEPARTMENTS,
            decided=_days_before(postgres, as_of, ages, 0),
            published=_days_before(postgres, as_of, ages, -5),
            zeros="0" * 64,
            created=created,
        ),
    ]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def _days_before(postgres: bool, as_of: date, ages: tuple[int, int], shift: int):
    youngest, oldest = ages
    age = f"({youngest + shift} + n * 7919 % {oldest - youngest + 1})"
    if postgres:
        return f"DATE '{as_of.isoformat()}' - {age}::int"
    return f"date('{as_of.isoformat()}', '-' || {age} || ' days')"


def _numbers(postgres: bool, count: int) -> str:
    if postgres:
        return f"WITH numbers(n) AS (SELECT generate_series(1::bigint, {count})) "
    return (
        "WITH RECURSIVE numbers(n) AS (SELECT 1 UNION ALL "
        f"SELECT n + 1 FROM numbers WHERE n < {count}) "
    )
