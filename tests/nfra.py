"""The real NFRA penalty notices of ``../shared/data`` as penalty records, read
the simple way: party → company, authority → department (one department for the
rows that name none), publication date as ``published_on``, severe when the
kinds revoke a licence or ban from the trade."""

import hashlib
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert

from credit_repair.persistence.tables import Company, Department, PenaltyRecord

WORKBOOK = (
    Path(__file__).parents[1] / ".." / "shared" / "data" / "nfra-institutions.xlsx"
)
LOADED = datetime(2026, 3, 1, tzinfo=UTC)
SEVERE_KINDS = ("吊销", "禁止从业")
NO_AUTHORITY = "未注明处罚机关"


def _day(text: str | None) -> date | None:
    if not text:
        return None
    text = str(text).strip()
    if "年" in text:
        year, rest = text.split("年")
        month, rest = rest.split("月")
        return date(int(year), int(month), int(rest.rstrip("日")))
    return date.fromisoformat(text[:10])


@cache
def notices() -> tuple[dict, ...]:
    """One dict per usable row of the workbook."""
    if not WORKBOOK.exists():
        pytest.skip(f"{WORKBOOK} is not there")
    sheet = load_workbook(WORKBOOK, read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    found = []
    for number, values in enumerate(rows, start=2):
        row = dict(zip(header, values, strict=False))
        party = row["当事人名称"]
        authority = row["作出决定机关"] or NO_AUTHORITY
        if not party or not row["发布日期"]:
            continue
        kinds = [k for k in (row["处罚类型"] or "").split("、") if k]
        severe = any(word in kind for kind in kinds for word in SEVERE_KINDS)
        found.append(
            {
                "row": number,
                "party": party.strip(),
                "authority": authority.strip(),
                "kinds": kinds,
                "penalty_class": "severe" if severe else "general",
                "decision_date": _day(row["作出处罚决定的日期"]),
                "published_on": _day(row["发布日期"]),
                "title": row["文档标题"],
            }
        )
    return tuple(found)


def load(engine) -> int:
    """Insert every notice as a published record; returns how many."""
    rows = notices()
    authorities = list(dict.fromkeys(r["authority"] for r in rows))
    parties = list(dict.fromkeys(r["party"] for r in rows))
    with engine.begin() as conn:
        conn.execute(
            insert(Department.__table__),
            [{"code": f"N{i:03d}", "name": n} for i, n in enumerate(authorities, 1)],
        )
        conn.execute(
            insert(Company.__table__),
            [
                {
                    "name": name,
                    "identity_key": hashlib.sha256(name.encode()).hexdigest(),
                    "created_at": LOADED,
                }
                for name in parties
            ],
        )
        department = {n: i for i, n in enumerate(authorities, 1)}
        company = {n: i for i, n in enumerate(parties, 1)}
        conn.execute(
            insert(PenaltyRecord.__table__),
            [
                {
                    "identity_key": f"nfra-row-{r['row']}",
                    "identity_derived": True,
                    "company_id": company[r["party"]],
                    "department_id": department[r["authority"]],
                    "penalty_kinds": r["kinds"],
                    "penalty_class": r["penalty_class"],
                    "class_reason": "kinds",
                    "decision_date": r["decision_date"],
                    "published_on": r["published_on"],
                    "published_where": "national",
                    "is_published": True,
                    "content_hash": hashlib.sha256(str(r).encode()).hexdigest(),
                    "created_at": LOADED,
                    "updated_at": LOADED,
                }
                for r in rows
            ],
        )
    return len(rows)
