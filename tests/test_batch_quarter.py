"""A whole quarter of batch repair (批量主动修复) on the real NFRA records, on
SQLite and PostgreSQL, with a fake clock and a process restart in every phase."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from credit_repair import batch_sheets
from credit_repair.persistence.batch_views import batch_report, department_items
from credit_repair.persistence.batch_views import notice as notice_view
from credit_repair.persistence.tables import PenaltyRecord
from credit_repair.scheduler.batches import quarterly_jobs
from credit_repair.workflow import batch_confirmation, batch_review, commitment
from credit_repair.workflow.eligibility import (
    CompanyFacts,
    RecordFacts,
    check_eligibility,
    period_start,
)
from credit_repair.workflow.errors import Forbidden, InvalidInput, TransitionNotAllowed
from credit_repair.workflow.periods import eligible_from
from tests import nfra
from tests.batch_support import (
    OFFICE,
    PORTAL,
    batch_events,
    deadline_statuses,
    department,
    items,
    local,
    restart,
    sweep,
    workflow,
)
from tests.checks import assert_log_consistent, feed, is_published, notices
from tests.factories import make_department, make_record

pytestmark = pytest.mark.storage

AS_OF = date(2026, 4, 1)


def screened_by_the_rules(engine, regime, as_of: date) -> set[int]:
    """Record ids the one-time notice finds repairable by batch on ``as_of``;
    specific-severe ones count once past the severe minimum."""
    table = PenaltyRecord.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(table)).all()
    chosen = set()
    for row in rows:
        facts = RecordFacts(
            row.penalty_class, row.decision_date, row.published_on, row.is_published
        )
        unmet = check_eligibility(facts, CompanyFacts(), "batch", regime, as_of, ())
        codes = [u.code for u in unmet]
        if codes == ["specific_severe"]:
            severe_minimum = regime.minimum_months("severe")
            if eligible_from(period_start(facts)[0], severe_minimum) <= as_of:
                codes = []
        if not codes:
            chosen.add(row.id)
    return chosen


def answer_all(rows: list[dict], no: set[int] = frozenset()) -> list[dict]:
    return [{**r, "fulfilled": r["item_id"] not in no} for r in rows]


def filled_xlsx(rows: list[dict], no: set[int]) -> bytes:
    """The department's export, filled in by hand: 是 everywhere but ``no``."""
    book = load_workbook(io.BytesIO(batch_sheets.to_xlsx(rows)))
    sheet = book.worksheets[0]
    column = [c.value for c in sheet[1]].index("是否已全部履行") + 1
    for line in range(2, sheet.max_row + 1):
        item_id = sheet.cell(line, 1).value
        sheet.cell(line, column).value = "否" if item_id in no else "是"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_whole_quarter_on_the_real_records(database_url, engine, clock):
    nfra.load(engine)
    special = make_department(engine, "TSZ", "特定严重失信测试机关")
    specific = make_record(
        engine,
        penalty_class="specific_severe",
        decision_date=date(2025, 6, 1),
        department_id=special,
    )
    wf = workflow(engine, clock)
    expected = screened_by_the_rules(engine, wf.regime, AS_OF)
    in_case = min(expected - {specific})
    clock.set(local(2026, 3, 31, 10, 0))
    commitment.submit(wf, in_case, "website", PORTAL)

    # 2026-04-01 (Wed) 00:05: the quarterly job starts the Q2 batch
    clock.set(local(2026, 4, 1, 0, 5))
    [(_job, start_job, trigger)] = quarterly_jobs(wf, engine)
    start_job()
    with engine.connect() as conn:
        report = batch_report(conn, 1)
    assert (report["quarter"], report["as_of"], report["state"]) == (
        "2026Q2",
        "2026-04-01",
        "awaiting_confirmation",
    )
    screened = items(engine, 1)
    assert len(screened) > 1000
    assert {i["penalty_id"] for i in screened.values()} == expected - {in_case}
    table = PenaltyRecord.__table__
    with engine.connect() as conn:
        specific_ids = set(
            conn.execute(
                select(table.c.id).where(table.c.penalty_class == "specific_severe")
            ).scalars()
        )
    assert specific in specific_ids  # the real file holds one more (虚开发票)
    assert report["screened"]["marked_specific_severe"] == len(specific_ids & expected)
    assert report["screened"]["general"] + report["screened"]["severe"] == len(screened)
    assert trigger["trigger"] == "cron"

    by_department = sorted(
        report["by_department"].items(), key=lambda kv: (-kv[1]["items"], kv[0])
    )
    a, b, c = (code for code, _ in by_department[:3])
    assert notices(engine, f"department:{a}") == ["batch_confirmation_requested"]
    with engine.connect() as conn:
        rows = {code: department_items(conn, 1, code) for code in (a, b, c, "TSZ")}

    # departments answer: A by JSON, B by spreadsheet, C late by CSV, others never
    clock.set(local(2026, 4, 2, 10, 0))
    with pytest.raises(Forbidden, match=f"other departments than {b}"):
        batch_confirmation.confirm_items(wf, 1, b, answer_all(rows[a]), department(b))
    a_no = {rows[a][0]["item_id"]}
    receipt = batch_confirmation.confirm_items(
        wf, 1, a, answer_all(rows[a], a_no), department(a)
    )
    assert (receipt.confirmed, receipt.not_carried_out, receipt.late) == (
        len(rows[a]) - 1,
        1,
        False,
    )
    batch_confirmation.confirm_items(
        wf, 1, "TSZ", answer_all(rows["TSZ"]), department("TSZ")
    )

    clock.set(local(2026, 4, 3, 15, 0))
    b_no = {rows[b][-1]["item_id"]}
    sheet = batch_sheets.read_answers(filled_xlsx(rows[b], b_no), "xlsx")
    batch_confirmation.confirm_items(wf, 1, b, sheet, department(b))
    again = batch_confirmation.confirm_items(wf, 1, b, sheet, department(b))
    assert (again.confirmed, again.unchanged) == (0, len(rows[b]))
    changed = [{"item_id": rows[b][-1]["item_id"], "fulfilled": "是"}]
    with pytest.raises(InvalidInput, match="answered otherwise"):
        batch_confirmation.confirm_items(wf, 1, b, changed, department(b))

    # the deadline is Tue 04-07 24:00 (Qingming 04-04..06 skipped); C is late
    clock.set(local(2026, 4, 8, 0, 30))
    c_sheet = batch_sheets.read_answers(batch_sheets.to_csv(answer_all(rows[c])), "csv")
    late = batch_confirmation.confirm_items(wf, 1, c, c_sheet, department(c))
    assert (late.confirmed, late.late) == (len(rows[c]), True)

    # restart; the scheduler closes the phase once
    engine, wf = restart(engine, database_url, clock)
    clock.set(local(2026, 4, 8, 1, 0))
    assert sweep(wf, engine) == 1
    assert sweep(wf, engine) == 0
    after_confirmation = items(engine, 1)
    marked = {
        i["penalty_id"]: i["exclusion_code"]
        for i in after_confirmation.values()
        if i["marked_specific_severe"]
    }
    assert marked[specific] == "specific_severe_before_maximum"
    # the real one's department never answered, which excluded it first
    assert set(marked.values()) == {
        "specific_severe_before_maximum",
        "not_confirmed_in_time",
    }
    answered = {r["item_id"] for code in (a, b, c, "TSZ") for r in rows[code]}
    unanswered = set(screened) - answered
    assert {after_confirmation[i]["exclusion_code"] for i in unanswered} == {
        "not_confirmed_in_time"
    }

    # review: the office removes one more; the review deadline only escalates
    clock.set(local(2026, 4, 9, 10, 0))
    duplicate = rows[a][1]["item_id"]
    batch_review.exclude_items(wf, 1, {duplicate: "重复公示"}, OFFICE)
    with pytest.raises(TransitionNotAllowed, match="not allowed in state 'excluded'"):
        batch_review.exclude_items(wf, 1, {next(iter(a_no)): "再次排除"}, OFFICE)
    engine, wf = restart(engine, database_url, clock)
    # due Fri 04-10 24:00: 3 working days from the confirmation's end (Tue 04-07)
    clock.set(local(2026, 4, 11, 0, 10))
    assert sweep(wf, engine) == 1
    assert batch_events(engine, 1)[-1] == "escalate"
    assert notices(engine, "office")[-1] == "escalation"
    clock.set(local(2026, 4, 14, 10, 0))
    batch_review.approve_review(wf, 1, OFFICE)

    # public notice for one working day; an objection removes an item
    with engine.connect() as conn:
        published = notice_view(conn, 1)
    confirmed = {
        i for i, row in items(engine, 1).items() if row["state"] == "confirmed"
    }
    assert {row["item_id"] for row in published["items"]} == confirmed
    assert published["notice_until"].startswith("2026-04-15T16:00")
    objected = rows[c][0]["item_id"]
    clock.set(local(2026, 4, 15, 9, 0))
    batch_review.object_to_item(
        wf, 1, objected, "市民张某", "该企业仍在违法经营", PORTAL
    )
    with engine.connect() as conn:
        assert objected not in {r["item_id"] for r in notice_view(conn, 1)["items"]}

    # restart; the end of the notice completes the batch, once
    engine, wf = restart(engine, database_url, clock)
    clock.set(local(2026, 4, 16, 0, 5))
    assert sweep(wf, engine) == 1
    assert sweep(wf, engine) == 0

    final = items(engine, 1)
    repaired = {i: row for i, row in final.items() if row["state"] == "repaired"}
    assert set(repaired) == confirmed - {objected}
    for row in repaired.values():
        assert not is_published(engine, row["penalty_id"])
        assert feed(engine, row["penalty_id"]) == ["taken_down"]
    for i in (objected, duplicate, *a_no, *unanswered):
        assert is_published(engine, final[i]["penalty_id"])
        assert feed(engine, final[i]["penalty_id"]) == []
    companies = {row["company_id"] for row in repaired.values()}
    for company in companies:
        assert "commitment_letter_requested" in notices(engine, f"company:{company}")

    with engine.connect() as conn:
        report = batch_report(conn, 1)
    assert report["state"] == "completed"
    assert report["by_state"] == {
        "excluded": len(final) - len(repaired),
        "repaired": len(repaired),
    }
    assert report["by_reason"] == {
        "excluded_at_review": 1,
        "not_carried_out": 2,
        "not_confirmed_in_time": len(unanswered),
        "objected": 1,
        "specific_severe_before_maximum": 1,
    }
    timeliness = report["timeliness"]
    assert [timeliness[code]["status"] for code in (a, b, c, "TSZ")] == [
        "in_time",
        "in_time",
        "late",
        "in_time",
    ]
    others = set(timeliness) - {a, b, c, "TSZ"}
    assert {timeliness[code]["status"] for code in others} == {"never"}
    assert deadline_statuses(engine, 1) == {
        "confirmation": "fired",
        "review": "fired",
        "notice": "fired",
    }
    assert batch_events(engine, 1) == [
        "start",
        "open_confirmation",
        "receive_answers",
        "receive_answers",
        "receive_answers",
        "receive_answers",
        "receive_answers",
        "close_confirmation",
        "exclude",
        "escalate",
        "approve",
        "receive_objection",
        "complete",
    ]
    assert_log_consistent(engine)
    engine.dispose()
