"""Importing national-layout files (Chinese headers or CF_ codes; CSV or XLSX) on
every database: the same rows give the same records whatever the file looks like."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from credit_repair.importing import import_file
from credit_repair.persistence.tables import Company, Department, PenaltyRecord
from tests.penalty_files import (
    CHINESE_HEADERS,
    EXPECTED,
    FIELD_CODES,
    NATIONAL_ROWS,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.storage

FILES = {
    "csv, Chinese headers, UTF-8 with BOM": lambda p: write_csv(
        p / "a.csv", CHINESE_HEADERS, NATIONAL_ROWS
    ),
    "csv, field codes, UTF-8": lambda p: write_csv(
        p / "b.csv", FIELD_CODES, NATIONAL_ROWS, encoding="utf-8"
    ),
    "csv, Chinese headers, GBK": lambda p: write_csv(
        p / "c.csv", CHINESE_HEADERS, NATIONAL_ROWS, encoding="gbk"
    ),
    "xlsx, field codes, date cells": lambda p: write_xlsx(
        p / "d.xlsx", FIELD_CODES, NATIONAL_ROWS
    ),
    "xlsx, Chinese headers, date cells": lambda p: write_xlsx(
        p / "e.xlsx", CHINESE_HEADERS, NATIONAL_ROWS
    ),
}


def stored(engine) -> dict[str, dict]:
    record, company, department = (
        PenaltyRecord.__table__,
        Company.__table__,
        Department.__table__,
    )
    query = (
        select(
            record,
            company.c.name.label("party"),
            company.c.uscc.label("party_uscc"),
            department.c.code.label("department_code"),
        )
        .join(company, company.c.id == record.c.company_id)
        .join(department, department.c.id == record.c.department_id)
    )
    with engine.connect() as conn:
        return {row.party: row._asdict() for row in conn.execute(query)}


@pytest.mark.parametrize("make_file", FILES.values(), ids=FILES.keys())
def test_every_file_form_gives_the_same_summary(engine, tmp_path, clock, make_file):
    path = make_file(tmp_path)
    summary = import_file(engine, path, clock_now=clock.now()).as_dict()

    assert summary["layout"] == "national"
    assert summary["published_where"] == "city"
    assert {key: summary[key] for key in EXPECTED} == EXPECTED
    assert summary["read"] == summary["imported"] + summary["rejected"]
    assert [r["row"] for r in summary["rejections"]] == [7, 8, 9]
    assert "第2行" in summary["rejections"][2]["detail"]


@pytest.mark.parametrize("make_file", FILES.values(), ids=FILES.keys())
def test_the_stored_records_are_normalised(engine, tmp_path, clock, make_file):
    import_file(engine, make_file(tmp_path), clock_now=clock.now())
    records = stored(engine)

    food = records["昆明甲食品有限公司"]
    assert food["fine_yuan"] == Decimal("2000.00")
    assert food["confiscated_yuan"] == Decimal("500.00")
    assert food["penalty_kinds"] == ["罚款", "没收违法所得"]
    assert food["decision_date"] == date(2024, 12, 11)
    assert food["identity_derived"] is False
    assert food["department_code"] == "11530100MA6NXQ2K10"
    assert food["party_uscc"] == "91530100MA6NXQ2K1P"
    assert food["is_published"] is True

    assert {
        records[name]["decision_date"] for name in records if name != "昆明己餐饮店"
    } == {
        date(2024, 12, 11),
        date(2024, 12, 6),
    }
    assert records["昆明己餐饮店"]["decision_date"] is None
    assert records["昆明己餐饮店"]["identity_derived"] is True

    minor = records["昆明乙建材有限公司"]
    assert (minor["penalty_class"], minor["is_published"]) == ("minor", False)
    assert records["云南丙化工有限公司"]["class_reason"] == (
        "特定严重失信：安全生产领域处以责令停产停业（规则 SS1）"
    )
    assert records["昆明丁劳务有限公司"]["penalty_class"] == "specific_severe"
    assert records["昆明戊贸易有限公司"]["fine_yuan"] == Decimal("1200000.00")
    assert records["昆明戊贸易有限公司"]["penalty_class"] == "severe"
    assert records["昆明戊贸易有限公司"]["department_code"].startswith("dept-")


def test_csv_and_xlsx_of_the_same_rows_are_the_same_records(engine, tmp_path, clock):
    import_file(
        engine, FILES["csv, field codes, UTF-8"](tmp_path), clock_now=clock.now()
    )
    again = import_file(
        engine,
        FILES["xlsx, Chinese headers, date cells"](tmp_path),
        clock_now=clock.now(),
    )

    assert (again.imported, again.updated, again.unchanged) == (0, 0, 7)


def test_uploaded_bytes_are_read_like_a_file(engine, tmp_path, clock):
    data = FILES["csv, Chinese headers, GBK"](tmp_path).read_bytes()

    summary = import_file(engine, data, "upload.csv", clock_now=clock.now())

    assert (summary.filename, summary.encoding, summary.imported) == (
        "upload.csv",
        "gb18030",
        7,
    )


def test_a_value_too_long_to_store_rejects_its_row_only(engine, tmp_path, clock):
    rows = [list(row) for row in NATIONAL_ROWS]
    rows[0][0] = "昆明" + "很" * 400 + "有限公司"
    path = write_csv(tmp_path / "long.csv", CHINESE_HEADERS, rows)

    summary = import_file(engine, path, clock_now=clock.now())

    assert summary.rejections[0].row == 2
    assert summary.rejections[0].reason == "value_too_long"
    assert "party_name" in summary.rejections[0].detail
    assert summary.imported == 7  # row 9, the same decision as row 2, now stands


def test_implausible_dates_reject_their_rows_and_late_publication_is_warned(
    engine, tmp_path, clock
):
    headers = [*CHINESE_HEADERS, "公示日期"]
    rows = [[*row, "2025-01-10"] for row in NATIONAL_ROWS[:2]]
    rows[0][12] = "2030-01-01"  # decided in the future
    rows[1][12] = "1900-01-01"  # an empty Excel cell read as a date
    late = [*NATIONAL_ROWS[2], "2024-12-01"]  # published before 2024-12-11
    path = write_csv(tmp_path / "dates.csv", headers, [*rows, late])

    summary = import_file(engine, path, clock_now=clock.now()).as_dict()

    assert summary["rejected_by_reason"] == {"date_in_future": 1, "date_too_old": 1}
    assert [r["detail"] for r in summary["rejections"]] == [
        "日期晚于今天：处罚决定日期2030-01-01",
        "日期早于1990年，不是可信的处罚日期：处罚决定日期1900-01-01",
    ]
    assert summary["imported"] == 1
    assert summary["warning_rows"]["published_before_decision"] == [4]
    assert summary["warning_notes"] == [
        {
            "row": 4,
            "kind": "published_before_decision",
            "detail": "公示日期2024-12-01早于处罚决定日期2024-12-11",
        }
    ]
