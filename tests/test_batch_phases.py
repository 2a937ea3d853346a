"""When each batch phase starts its clock: a phase that a deadline closes is
counted from that deadline's due instant, not from when the scheduler got to it;
a phase the office starts is counted from the office's act. In a year without an
official calendar a phase-closing deadline only escalates, until the year's table
is loaded or the office closes the phase. SQLite and PostgreSQL, fake clock."""

from datetime import date

import pytest

from credit_repair.persistence.batch_views import batch_report
from credit_repair.workflow import batch_confirmation, batch_review, batches
from credit_repair.workflow.calendar import DayOverride
from credit_repair.workflow.errors import InvalidInput
from credit_repair.workflow.recalendar import recompute_open_deadlines
from tests.batch_support import (
    OFFICE,
    batch_events,
    department,
    items,
    local,
    sweep,
    workflow,
)
from tests.checks import assert_log_consistent, is_published, notices
from tests.factories import make_department, make_record

pytestmark = pytest.mark.storage

ELIGIBLE = date(2026, 6, 1)  # general: eligible from 2026-09-02


def deadline(engine, batch_id: int, kind: str) -> dict:
    with engine.connect() as conn:
        [row] = [
            d for d in batch_report(conn, batch_id)["deadlines"] if d["kind"] == kind
        ]
    return row


def opened_on_friday(engine, clock):
    """A batch opened Fri 2026-12-04: departments confirm by Wed 12-09 24:00."""
    clock.set(local(2026, 12, 4, 10, 0))
    wf = workflow(engine, clock)
    make_record(engine, decision_date=ELIGIBLE)
    batch = batches.start_batch(wf, OFFICE)
    confirmation = deadline(engine, batch.id, "confirmation")
    assert confirmation["due_at"] == local(2026, 12, 10, 0, 0).isoformat()
    return wf, batch


class TestReviewWindow:
    def test_counts_from_the_end_of_the_confirmation_not_from_the_job(
        self, engine, clock
    ):
        wf, batch = opened_on_friday(engine, clock)

        clock.set(local(2026, 12, 10, 0, 5))  # the job runs five minutes late
        assert sweep(wf, engine) == 1

        review = deadline(engine, batch.id, "review")
        assert review["due_at"] == local(2026, 12, 15, 0, 0).isoformat()
        assert review["explanation"] == (
            "3 working days from Wed 2026-12-09: skipped 12-12..12-13 (weekend)"
            " → Mon 2026-12-14 24:00"
        )
        assert_log_consistent(engine)

    def test_downtime_does_not_move_it(self, engine, clock):
        wf, batch = opened_on_friday(engine, clock)

        clock.set(local(2026, 12, 11, 9, 30))  # the service was down for a day
        assert sweep(wf, engine) == 1

        review = deadline(engine, batch.id, "review")
        assert review["due_at"] == local(2026, 12, 15, 0, 0).isoformat()
        assert_log_consistent(engine)

    def test_counts_from_the_office_closing_it_by_hand(self, engine, clock):
        wf, batch = opened_on_friday(engine, clock)

        clock.set(local(2026, 12, 10, 9, 0))  # before the scheduler's sweep
        batch_confirmation.close_confirmation_after_deadline(wf, batch.id, OFFICE)

        review = deadline(engine, batch.id, "review")
        assert review["due_at"] == local(2026, 12, 16, 0, 0).isoformat()
        assert_log_consistent(engine)


class TestNoticeWindow:
    def test_counts_from_the_offices_approval(self, engine, clock):
        wf, batch = opened_on_friday(engine, clock)
        clock.set(local(2026, 12, 10, 0, 5))
        sweep(wf, engine)

        clock.set(local(2026, 12, 11, 16, 0))  # Fri
        batch_review.approve_review(wf, batch.id, OFFICE)

        notice = deadline(engine, batch.id, "notice")
        assert notice["due_at"] == local(2026, 12, 15, 0, 0).isoformat()
        assert_log_consistent(engine)


NEW_YEAR_2027 = [
    DayOverride(date(2027, 1, day), False, "元旦", "国办发明电〔2026〕")
    for day in (1, 2, 3)
]


def load_2027(wf):
    wf.calendar = wf.calendar.with_official_days(NEW_YEAR_2027)
    return recompute_open_deadlines(wf, OFFICE)


def opened_before_new_year(engine, clock):
    """A batch opened Wed 2026-12-30: confirmation due Mon 2027-01-04 on weekdays
    (provisional), Tue 01-05 once 01-01 is known to be a holiday."""
    clock.set(local(2026, 12, 30, 10, 0))
    wf = workflow(engine, clock)
    make_record(engine, decision_date=ELIGIBLE)
    batch = batches.start_batch(wf, OFFICE)
    confirmation = deadline(engine, batch.id, "confirmation")
    assert confirmation["provisional"]
    assert confirmation["due_at"] == local(2027, 1, 5, 0, 0).isoformat()
    return wf, batch


def on_notice_over_new_year(engine, clock):
    """A batch with one confirmed item put on notice Thu 2026-12-31: notice due
    Fri 2027-01-01 on weekdays (provisional), Mon 01-04 in fact."""
    clock.set(local(2026, 12, 21, 10, 0))
    wf = workflow(engine, clock)
    code = "SCJ"
    record = make_record(
        engine, decision_date=ELIGIBLE, department_id=make_department(engine, code)
    )
    batch = batches.start_batch(wf, OFFICE)
    [item_id] = items(engine, batch.id)
    batch_confirmation.confirm_items(
        wf, batch.id, code, [{"item_id": item_id, "fulfilled": True}], department(code)
    )
    clock.set(local(2026, 12, 25, 0, 5))
    assert sweep(wf, engine) == 1
    clock.set(local(2026, 12, 31, 10, 0))
    batch_review.approve_review(wf, batch.id, OFFICE)
    notice = deadline(engine, batch.id, "notice")
    assert (notice["provisional"], notice["due_at"]) == (
        True,
        local(2027, 1, 2, 0, 0).isoformat(),
    )
    return wf, batch, record


def state(engine, batch_id) -> str:
    with engine.connect() as conn:
        return batch_report(conn, batch_id)["state"]


class TestAProvisionalConfirmationDeadline:
    def test_escalates_and_closes_when_the_official_due_is_found_passed(
        self, engine, clock
    ):
        wf, batch = opened_before_new_year(engine, clock)
        clock.set(local(2027, 1, 5, 1, 0))
        assert sweep(wf, engine) == 1
        assert state(engine, batch.id) == "awaiting_confirmation"
        assert deadline(engine, batch.id, "confirmation")["status"] == "escalated"
        assert sweep(wf, engine) == 0

        clock.set(local(2027, 1, 6, 10, 0))
        [moved] = load_2027(wf)

        assert (moved.subject, moved.fired) == (
            f"batch:{batch.id}",
            "close_confirmation",
        )
        assert state(engine, batch.id) == "under_review"
        assert deadline(engine, batch.id, "confirmation")["status"] == "fired"
        review = deadline(engine, batch.id, "review")
        assert review["due_at"] == local(2027, 1, 9, 0, 0).isoformat()
        assert not review["provisional"]
        assert batch_events(engine, batch.id)[-3:] == [
            "escalate",
            "deadline_recomputed",
            "close_confirmation",
        ]
        assert recompute_open_deadlines(wf, OFFICE) == []
        assert_log_consistent(engine)

    def test_a_table_loaded_in_time_lets_the_scheduler_close_it(self, engine, clock):
        wf, batch = opened_before_new_year(engine, clock)
        clock.set(local(2027, 1, 4, 10, 0))

        [moved] = load_2027(wf)

        assert (moved.fired, moved.provisional) == (None, False)
        assert moved.new_due_at == local(2027, 1, 6, 0, 0).isoformat()
        clock.set(local(2027, 1, 5, 1, 0))
        assert sweep(wf, engine) == 0
        clock.set(local(2027, 1, 6, 0, 5))
        assert sweep(wf, engine) == 1
        assert state(engine, batch.id) == "under_review"
        assert_log_consistent(engine)

    def test_the_office_may_close_it_itself_after_the_escalation(self, engine, clock):
        wf, batch = opened_before_new_year(engine, clock)
        clock.set(local(2027, 1, 5, 1, 0))
        sweep(wf, engine)

        batch_confirmation.close_confirmation_after_deadline(wf, batch.id, OFFICE)

        assert deadline(engine, batch.id, "confirmation")["status"] == "met"
        assert [m.kind for m in load_2027(wf)] == ["review"]
        assert state(engine, batch.id) == "under_review"
        assert_log_consistent(engine)


class TestAProvisionalNoticeDeadline:
    def test_does_not_end_the_notice_on_a_guessed_day(self, engine, clock):
        wf, batch, record = on_notice_over_new_year(engine, clock)

        clock.set(local(2027, 1, 2, 9, 0))
        assert sweep(wf, engine) == 1

        assert state(engine, batch.id) == "announced"
        assert deadline(engine, batch.id, "notice")["status"] == "escalated"
        assert notices(engine, "office")[-1] == "escalation"
        assert is_published(engine, record)

        [moved] = load_2027(wf)
        assert (moved.status, moved.fired) == ("pending", None)
        clock.set(local(2027, 1, 5, 0, 5))
        assert sweep(wf, engine) == 1
        assert state(engine, batch.id) == "completed"
        assert not is_published(engine, record)
        assert_log_consistent(engine)

    def test_the_office_may_end_it_after_the_escalation(self, engine, clock):
        wf, batch, record = on_notice_over_new_year(engine, clock)
        with pytest.raises(InvalidInput, match="the notice runs until"):
            batch_review.complete_after_deadline(wf, batch.id, OFFICE)
        clock.set(local(2027, 1, 2, 9, 0))
        sweep(wf, engine)

        clock.set(local(2027, 1, 4, 9, 0))
        batch_review.complete_after_deadline(wf, batch.id, OFFICE)

        assert state(engine, batch.id) == "completed"
        assert not is_published(engine, record)
        assert deadline(engine, batch.id, "notice")["status"] == "met"
        assert batch_events(engine, batch.id)[-1] == "complete"
        assert_log_consistent(engine)
