"""Loading a year's official table recomputes open deadlines, audited."""

from datetime import UTC, date, datetime

import pytest

from credit_repair.persistence.views import case_history, case_view
from credit_repair.workflow import commitment
from credit_repair.workflow.calendar import DayOverride
from credit_repair.workflow.firing import fire_deadline
from credit_repair.workflow.model import Actor
from credit_repair.workflow.recalendar import recompute_open_deadlines
from tests.checks import assert_log_consistent, notices
from tests.factories import make_record

pytestmark = pytest.mark.storage

OFFICE = Actor("王芳", "office")
LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF letter")
NEW_YEAR_2027 = [
    DayOverride(date(2027, 1, 1), False, "元旦", "国办发明电〔2026〕"),
    DayOverride(date(2027, 1, 2), False, "元旦", "国办发明电〔2026〕"),
    DayOverride(date(2027, 1, 3), False, "元旦", "国办发明电〔2026〕"),
]


def request_deadline(engine, case_id) -> dict:
    with engine.connect() as conn:
        [row] = [
            d
            for d in case_view(conn, case_id)["deadlines"]
            if d["kind"] == "request_confirmation"
        ]
    return row


def test_a_provisional_2027_deadline_becomes_official_when_the_year_is_loaded(
    wf, engine, clock
):
    clock.set(datetime(2026, 12, 31, 2, 0, tzinfo=UTC))  # Thu 10:00 Shanghai
    case = commitment.submit(
        wf,
        make_record(engine, decision_date=date(2026, 6, 1)),
        "website",
        OFFICE,
        documents=[LETTER],
    )
    commitment.fire_event(wf, case.id, "review", OFFICE)
    before = request_deadline(engine, case.id)
    assert before["provisional"] is True
    assert before["due_at"] == datetime(2027, 1, 1, 16, 0, tzinfo=UTC)

    wf.calendar = wf.calendar.with_official_days(NEW_YEAR_2027)
    [moved] = recompute_open_deadlines(wf, OFFICE)
    assert recompute_open_deadlines(wf, OFFICE) == []

    after = request_deadline(engine, case.id)
    assert (after["provisional"], after["due_at"]) == (
        False,
        datetime(2027, 1, 4, 16, 0, tzinfo=UTC),
    )
    assert "skipped 2027-01-01..2027-01-03 (元旦)" in after["explanation"]
    assert moved.new_due_at == "2027-01-04T16:00:00+00:00"
    with engine.connect() as conn:
        note = case_history(conn, case.id)[-1]
    assert (note["event"], note["target"]) == ("deadline_recomputed", None)
    assert note["payload"]["old_due_at"] == "2027-01-01T16:00:00+00:00"
    assert_log_consistent(engine)


def test_a_provisional_deadline_that_passes_escalates_instead_of_relisting(
    wf, engine, clock
):
    clock.set(datetime(2026, 12, 28, 2, 0, tzinfo=UTC))  # Mon
    record = make_record(engine, penalty_class="severe")
    case = commitment.submit(wf, record, "website", OFFICE, documents=[LETTER])
    commitment.fire_event(wf, case.id, "review", OFFICE)
    with engine.connect() as conn:
        [training] = [
            d
            for d in case_view(conn, case.id)["deadlines"]
            if d["kind"] == "training_proof"
        ]
    assert training["provisional"] is True  # 7 days → 2027-01-04, year unknown

    clock.set(training["due_at"])
    assert fire_deadline(wf, training["id"]) == "escalate"

    with engine.connect() as conn:
        assert case_view(conn, case.id)["state"] == "taken_down"
    assert notices(engine, "office")[-1] == "escalation"
    assert_log_consistent(engine)
