"""The whole real NFRA file (4,200 notices of 2024-12 to 2026-04) imported on every
database, with the counts observed and why each one is what it is.

Rejected, 449 rows of scraper noise:
- 358 ``party_is_authority``: the party is the regulator itself (国家金融监督管理总局
  湖南监管局 …); these rows have no authority column and a date as the content.
- 80 ``party_is_person``: the party is a masked person (某某[时任…副行长]), not a
  market party, although 当事人类型 says 机构.
- 7 ``missing_penalty``: no penalty kind and no content (five branch offices of
  许昌农村商业银行 in a licence-revocation notice without authority; two rows of a
  北京金融监管局 table that lost their penalty cells).
- 4 ``content_is_date``: the content is a signature date (长治金融监管分局
  2024年12月5日; 2025年11月5日).
Imported, 3,751 records, every one with warnings ``derived_identity`` (the file has
no decision numbers) and ``missing_decision_date`` (the five rows that have a
decision date are among the rejected). Also 20 ``fine_amount_missing`` (罚款 in the
kinds, the amount only in words: 罚款二十二万五千元), 20 ``missing_province`` and 4
``authority_from_title`` (authority empty, taken from 国家金融监督管理总局青海监管局
行政处罚信息公开表 …). Two notices of 潍坊银行临沂分行 share party, title, content
and link and differ only in their facts: they stay two records.
Classes: 3,333 general; 417 severe (50 for 禁止从业 / 取消任职资格 / 吊销许可证,
367 for 罚没 of at least 1,000,000 yuan); 1 specific severe (虚开发票套取费用).
"""

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from credit_repair.importing import PastMaximumExpiry, import_file
from credit_repair.persistence.penalty_counts import count_penalties
from credit_repair.workflow import housekeeping
from credit_repair.workflow.model import Actor
from tests import nfra

pytestmark = pytest.mark.storage

REAL_FILE = nfra.WORKBOOK
EXPIRED_ON_2026_05_01 = 968

EXPECTED = {
    "layout": "nfra",
    "published_where": "national",
    "read": 4200,
    "imported": 3751,
    "updated": 0,
    "unchanged": 0,
    "rejected": 449,
    "rejected_by_reason": {
        "content_is_date": 4,
        "missing_penalty": 7,
        "party_is_authority": 358,
        "party_is_person": 80,
    },
    "warnings_by_kind": {
        "authority_from_title": 4,
        "derived_identity": 3751,
        "fine_amount_missing": 20,
        "missing_decision_date": 3751,
        "missing_province": 20,
    },
    "by_class": {"general": 3333, "severe": 417, "specific_severe": 1},
    "companies_created": 3617,
    "departments_created": 331,
    "chunks_committed": 5,
    "last_committed_row": 4201,
    "completed": True,
}


@pytest.fixture(scope="module")
def real_file() -> Path:
    if not REAL_FILE.exists():
        pytest.fail(f"the real data file is missing: {REAL_FILE}")
    return REAL_FILE


def test_the_whole_real_file_imports_with_the_observed_counts(engine, real_file, clock):
    clock.set(nfra.LOADED)  # after the newest notice: none is dated in the future
    summary = import_file(engine, real_file, clock_now=clock.now()).as_dict()

    assert {key: summary[key] for key in EXPECTED} == EXPECTED
    rejected = {r["row"]: r["reason"] for r in summary["rejections"]}
    assert rejected[7] == "party_is_authority"
    assert rejected[4] == "party_is_person"
    assert rejected[87] == rejected[2792] == "content_is_date"
    assert rejected[139] == "missing_penalty"
    assert 4087 not in rejected and 4088 not in rejected  # same notice, two facts
    assert summary["warning_rows"]["authority_from_title"] == [652, 3659, 3995, 4109]

    stored = count_penalties(engine, top=3)
    assert stored["records"] == stored["published"] == 3751
    assert stored["by_class"] == [
        ["general", 3333],
        ["severe", 417],
        ["specific_severe", 1],
    ]
    assert stored["authorities"] == 331
    assert stored["by_authority"] == [
        ["上海金融监管局", 108],
        ["广东金融监管局", 98],
        ["山东金融监管局", 72],
    ]
    assert stored["by_province"][:2] == [["山东省", 340], ["广东省", 322]]

    again = import_file(engine, real_file, clock_now=clock.advance(days=1))
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3751)
    assert count_penalties(engine)["records"] == 3751


def test_a_corrected_notice_updates_its_record(engine, real_file, tmp_path, clock):
    rows = list(
        load_workbook(real_file, read_only=True).active.iter_rows(
            max_row=31, values_only=True
        )
    )
    first = save(tmp_path / "first.xlsx", rows)
    rows[1] = (*rows[1][:7], 30000, *rows[1][8:])  # row 2: the fine 2万 → 3万 yuan
    corrected = save(tmp_path / "corrected.xlsx", rows)

    before = import_file(engine, first, clock_now=clock.now())
    after = import_file(engine, corrected, clock_now=clock.now())

    assert before.imported == after.unchanged + after.updated
    assert (after.imported, after.updated, after.updated_rows) == (0, 1, [2])


def save(path: Path, rows) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


@pytest.mark.slow
def test_the_command_lines_import_takes_expired_records_offline(
    engine, wf, real_file, clock
):
    """As of Fri 2026-05-01, after the newest notice: every general record
    published up to 2025-04-30 is past its 12 months; no severe one is past 36
    months yet."""
    clock.set(nfra.LOADED)
    office = Actor("王芳", "office")

    summary = import_file(
        engine, real_file, clock_now=clock.now(), expire=PastMaximumExpiry(wf, office)
    )

    stored = count_penalties(engine)
    assert (summary.imported, summary.expired) == (3751, EXPIRED_ON_2026_05_01)
    assert stored["published"] == 3751 - EXPIRED_ON_2026_05_01
    assert housekeeping.run(wf, dry_run=True).expired_count == 0
