"""Screening records into batches: resumable chunks, records held by open cases
and batches, cancelling, and who may start a batch, on SQLite and PostgreSQL."""

import threading
from datetime import date

import pytest

from credit_repair.persistence.batch_views import batch_report
from credit_repair.persistence.record_facts import load_record_facts
from credit_repair.workflow import batch_confirmation, batches, commitment, instant
from credit_repair.workflow.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    TransitionNotAllowed,
    VersionConflict,
)
from credit_repair.workflow.quarterly import run_quarterly
from tests import nfra
from tests.batch_support import (
    OFFICE,
    PORTAL,
    deadline_statuses,
    department,
    items,
    local,
    restart,
    sweep,
    workflow,
)
from tests.checks import assert_log_consistent, feed, is_published
from tests.factories import make_department, make_record

pytestmark = pytest.mark.storage

RECENT = date(2025, 12, 1)  # general: eligible from 2026-03-02


class Interrupted(Exception):
    """The process stopped in the middle of screening."""


def stop_after(chunks: int):
    seen = []

    def progress(step):
        seen.append(step)
        if len(seen) == chunks:
            raise Interrupted(step)

    return progress


class TestScreening:
    def test_a_screening_stopped_midway_resumes_where_it_stopped(
        self, database_url, engine, clock
    ):
        nfra.load(engine)
        clock.set(local(2026, 5, 20, 9, 0))
        wf = workflow(engine, clock)
        with pytest.raises(Interrupted):
            batches.start_batch(wf, OFFICE, progress=stop_after(2), chunk=1000)
        assert batch_report_of(engine, 1)["state"] == "screening"
        partial = len(items(engine, 1))
        assert partial > 0

        engine, wf = restart(engine, database_url, clock)
        run = run_quarterly(wf)

        assert (run.resumed, run.started) == ([1], None)
        report = batch_report_of(engine, 1)
        assert report["state"] == "awaiting_confirmation"
        assert report["screened"]["items"] == len(items(engine, 1)) > partial
        clock.set(local(2026, 5, 20, 9, 30))
        again = batches.start_batch(wf, OFFICE)
        assert again.item_count == 0  # every screened record is held by batch 1
        assert_log_consistent(engine)
        engine.dispose()

    def test_the_chunks_find_what_one_pass_finds(self, engine, clock):
        nfra.load(engine)
        clock.set(local(2026, 5, 20, 9, 0))
        wf = workflow(engine, clock)
        chunked = batches.start_batch(wf, OFFICE, chunk=333)
        found = {i["penalty_id"] for i in items(engine, chunked.id).values()}
        batches.cancel_batch(wf, chunked.id, OFFICE, "重新筛选")

        once = batches.start_batch(wf, OFFICE)

        assert {i["penalty_id"] for i in items(engine, once.id).values()} == found
        assert (once.general_count, once.severe_count) == (
            chunked.general_count,
            chunked.severe_count,
        )

    def test_records_in_an_open_case_or_batch_are_left_out(self, engine, clock):
        clock.set(local(2026, 4, 1, 9, 0))
        wf = workflow(engine, clock)
        in_case = make_record(engine, decision_date=RECENT)
        free = make_record(engine, decision_date=RECENT)
        too_recent = make_record(engine, decision_date=date(2026, 1, 2))
        commitment.submit(wf, in_case, "website", PORTAL)

        first = batches.start_batch(wf, OFFICE)
        second = batches.start_batch(wf, OFFICE)

        screened = [i["penalty_id"] for i in items(engine, first.id).values()]
        assert screened == [free]
        assert in_case not in screened and too_recent not in screened
        assert second.item_count == 0

    def test_a_record_held_by_an_open_item_takes_no_case_until_it_is_freed(
        self, engine, clock
    ):
        clock.set(local(2026, 4, 1, 9, 0))
        wf = workflow(engine, clock)
        held = make_record(engine, decision_date=RECENT, published_where="national")
        batch = batches.start_batch(wf, OFFICE)
        (item,) = items(engine, batch.id)

        for file in (
            lambda: commitment.submit(wf, held, "website", PORTAL),
            lambda: instant.apply(wf, held, PORTAL, []),
        ):
            with pytest.raises(Conflict) as refused:
                file()
            assert str(refused.value) == (
                f"penalty record {held}: is item {item} of quarterly batch "
                f"{batch.id}, which is still open"
            )
        assert held_by(engine, held) == {"batch_id": batch.id, "item_id": item}
        batches.cancel_batch(wf, batch.id, OFFICE, "重新筛选")
        assert held_by(engine, held) is None
        case = commitment.submit(wf, held, "website", PORTAL)
        assert case.state == "submitted"
        assert held_by(engine, held) == {"case_id": case.id}
        assert_log_consistent(engine)

    def test_screening_and_filing_at_once_never_hold_a_record_twice(
        self, engine, clock
    ):
        clock.set(local(2026, 4, 1, 9, 0))
        wf = workflow(engine, clock)
        records = [make_record(engine, decision_date=RECENT) for _ in range(60)]
        filed, refused = [], []

        def file_each() -> None:
            for record in records:
                try:
                    filed.append(commitment.submit(wf, record, "website", PORTAL))
                except Conflict:
                    refused.append(record)

        filer = threading.Thread(target=file_each)
        filer.start()
        batch = batches.start_batch(wf, OFFICE, chunk=5)
        filer.join()

        in_batch = {i["penalty_id"] for i in items(engine, batch.id).values()}
        in_case = {case.penalty_id for case in filed}
        assert in_batch.isdisjoint(in_case)
        assert in_batch | in_case == set(records)
        assert set(refused) <= in_batch
        assert_log_consistent(engine)

    def test_the_as_of_day_decides_the_window(self, engine, clock):
        clock.set(local(2026, 4, 1, 9, 0))
        wf = workflow(engine, clock)
        make_record(engine, decision_date=RECENT)

        earlier = batches.start_batch(wf, OFFICE, as_of=date(2026, 3, 1))
        today = batches.start_batch(wf, OFFICE)

        assert (earlier.as_of, earlier.item_count) == (date(2026, 3, 1), 0)
        assert (today.as_of, today.item_count) == (date(2026, 4, 1), 1)
        with pytest.raises(InvalidInput, match="after today"):
            batches.start_batch(wf, OFFICE, as_of=date(2026, 4, 2))
        with pytest.raises(Forbidden):
            batches.start_batch(wf, department("SCJGJ"))


class TestCancel:
    def test_cancelling_excludes_every_open_item_and_frees_the_records(
        self, engine, clock
    ):
        clock.set(local(2026, 4, 1, 9, 0))
        wf = workflow(engine, clock)
        code = "SCJ"
        own = make_department(engine, code)
        records = [make_record(engine, decision_date=RECENT, department_id=own)]
        records.append(make_record(engine, decision_date=RECENT, department_id=own))
        batch = batches.start_batch(wf, OFFICE)
        first = min(items(engine, batch.id))
        answer = [{"item_id": first, "fulfilled": True}]
        batch_confirmation.confirm_items(wf, batch.id, code, answer, department(code))

        with pytest.raises(VersionConflict):
            batches.cancel_batch(wf, batch.id, OFFICE, expected_version=2)
        batches.cancel_batch(wf, batch.id, OFFICE, "数据有误")

        cancelled = items(engine, batch.id).values()
        assert {(i["state"], i["exclusion_code"]) for i in cancelled} == {
            ("excluded", "batch_cancelled")
        }
        assert {i["exclusion_text"] for i in cancelled} == {"数据有误"}
        assert deadline_statuses(engine, batch.id) == {"confirmation": "cancelled"}
        assert all(is_published(engine, r) and feed(engine, r) == [] for r in records)
        with pytest.raises(TransitionNotAllowed):
            batches.cancel_batch(wf, batch.id, OFFICE)
        assert batches.start_batch(wf, OFFICE).item_count == 2
        assert_log_consistent(engine)


class TestProvisionalDeadline:
    def test_a_confirmation_deadline_in_an_unknown_year_only_escalates(
        self, engine, clock
    ):
        clock.set(local(2026, 12, 30, 10, 0))
        wf = workflow(engine, clock)
        make_record(engine, decision_date=date(2026, 6, 1))
        batch = batches.start_batch(wf, OFFICE)

        before = batch_report_of(engine, batch.id, clock.now())
        assert before["allowed_events"] == ["cancel", "receive_answers"]
        assert before["service_events"] == ["close_confirmation", "escalate"]

        clock.set(local(2027, 1, 6, 10, 0))
        assert sweep(wf, engine) == 1
        report = batch_report_of(engine, batch.id, clock.now())
        assert report["state"] == "awaiting_confirmation"
        assert report["deadlines"][0]["provisional"]
        assert report["allowed_events"] == [
            "cancel",
            "close_confirmation",
            "receive_answers",
        ]

        batch_confirmation.close_confirmation_after_deadline(wf, batch.id, OFFICE)
        report = batch_report_of(engine, batch.id)
        assert (report["state"], report["by_reason"]) == (
            "under_review",
            {"not_confirmed_in_time": 1},
        )
        assert_log_consistent(engine)

    def test_the_office_may_not_close_before_the_deadline(self, engine, clock):
        clock.set(local(2026, 4, 1, 10, 0))
        wf = workflow(engine, clock)
        make_record(engine, decision_date=RECENT)
        batch = batches.start_batch(wf, OFFICE)
        with pytest.raises(InvalidInput, match="may answer until"):
            batch_confirmation.close_confirmation_after_deadline(wf, batch.id, OFFICE)


def batch_report_of(engine, batch_id: int, now=None) -> dict:
    with engine.connect() as conn:
        return batch_report(conn, batch_id, now)


def held_by(engine, record_id: int) -> dict | None:
    with engine.connect() as conn:
        return load_record_facts(conn, record_id)[0].held_by
