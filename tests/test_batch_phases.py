"""When each batch phase starts its clock: a phase that a deadline closes is
counted from that deadline's due instant, not from when the scheduler got to it;
a phase the office starts is counted from the office's act. SQLite and
PostgreSQL, with a fake clock."""

from datetime import date

import pytest

from credit_repair.persistence.batch_views import batch_report
from credit_repair.workflow import batch_confirmation, batch_review, batches
from tests.batch_support import OFFICE, local, sweep, workflow
from tests.checks import assert_log_consistent
from tests.factories import make_record

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
