"""Loading a year's official table recomputes open deadlines, audited."""

from datetime import UTC, date, datetime

import pytest

from credit_repair.persistence.views import case_history, case_view
from credit_repair.workflow import commitment
from credit_repair.workflow.calendar import DayOverride
from credit_repair.workflow.errors import Forbidden, InvalidInput
from credit_repair.workflow.firing import fire_deadline
from credit_repair.workflow.model import Actor
from credit_repair.workflow.recalendar import recompute_open_deadlines
from tests.checks import assert_log_consistent, feed, notices
from tests.factories import department_code, make_record

pytestmark = pytest.mark.storage

OFFICE = Actor("王芳", "office")
LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF letter")
CERTIFICATE = ("training_certificate", "培训证明.pdf", b"%PDF training")
REPORT = ("credit_report", "信用修复报告.pdf", b"%PDF report")
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


def deadline_row(engine, case_id, kind) -> dict:
    with engine.connect() as conn:
        [row] = [d for d in case_view(conn, case_id)["deadlines"] if d["kind"] == kind]
    return row


def events(engine, case_id) -> list[str]:
    with engine.connect() as conn:
        return [row["event"] for row in case_history(conn, case_id)]


def severe_awaiting_training_proof(wf, engine, clock):
    """The tester's case: filed Mon 2026-12-28 on a severe record, confirmed
    fulfilled at once; training proof due Mon 2027-01-04 24:00, provisional."""
    clock.set(datetime(2026, 12, 28, 2, 0, tzinfo=UTC))
    record = make_record(engine, penalty_class="severe")
    case = commitment.submit(wf, record, "website", OFFICE, documents=[LETTER])
    commitment.fire_event(wf, case.id, "review", OFFICE)
    commitment.fire_event(wf, case.id, "request_confirmation", OFFICE)
    department = Actor("李强", "department", department_code(engine, record))
    commitment.fire_event(wf, case.id, "confirm", department, {"fulfilled": True})
    training = deadline_row(engine, case.id, "training_proof")
    assert (training["provisional"], training["due_at"]) == (
        True,
        datetime(2027, 1, 4, 16, 0, tzinfo=UTC),
    )
    return record, case.id, training["id"]


def escalated(wf, engine, clock, case_id, deadline_id) -> None:
    clock.set(datetime(2027, 1, 5, 1, 0, tzinfo=UTC))
    assert fire_deadline(wf, deadline_id) == "escalate"
    assert deadline_row(engine, case_id, "training_proof")["status"] == "escalated"
    with engine.connect() as conn:
        assert case_view(conn, case_id)["state"] == "awaiting_training_proof"


class TestAnEscalatedProvisionalTrainingDeadline:
    def test_the_official_table_relists_and_bars_once_when_it_passed(
        self, wf, engine, clock
    ):
        record, case_id, deadline_id = severe_awaiting_training_proof(wf, engine, clock)
        escalated(wf, engine, clock, case_id, deadline_id)
        assert fire_deadline(wf, deadline_id) is None

        clock.set(datetime(2027, 1, 6, 2, 0, tzinfo=UTC))
        wf.calendar = wf.calendar.with_official_days(NEW_YEAR_2027)
        [moved] = recompute_open_deadlines(wf, OFFICE)

        assert (moved.deadline_id, moved.fired) == (deadline_id, "expire_proof")
        assert moved.new_due_at == "2027-01-04T16:00:00+00:00"  # a working day
        with engine.connect() as conn:
            shown = case_view(conn, case_id)
        assert shown["state"] == "relisted_barred"
        assert deadline_row(engine, case_id, "training_proof")["status"] == "fired"
        assert events(engine, case_id)[-3:] == [
            "escalate",
            "deadline_recomputed",
            "expire_proof",
        ]
        assert feed(engine, record) == ["taken_down", "relisted"]
        assert recompute_open_deadlines(wf, OFFICE) == []
        assert fire_deadline(wf, deadline_id) is None
        assert feed(engine, record) == ["taken_down", "relisted"]
        assert_log_consistent(engine)

    def test_an_official_due_still_ahead_makes_it_pending_again(
        self, wf, engine, clock
    ):
        # filed Fri 2026-12-25: provisional due Fri 2027-01-01, a holiday in fact
        clock.set(datetime(2026, 12, 25, 2, 0, tzinfo=UTC))
        record = make_record(engine, penalty_class="severe")
        case = commitment.submit(wf, record, "website", OFFICE, documents=[LETTER])
        commitment.fire_event(wf, case.id, "review", OFFICE)
        training = deadline_row(engine, case.id, "training_proof")
        clock.set(datetime(2027, 1, 2, 1, 0, tzinfo=UTC))
        assert fire_deadline(wf, training["id"]) == "escalate"

        wf.calendar = wf.calendar.with_official_days(NEW_YEAR_2027)
        moved = {m.kind: m for m in recompute_open_deadlines(wf, OFFICE)}
        moved = moved["training_proof"]

        assert (moved.status, moved.fired, moved.provisional) == (
            "pending",
            None,
            False,
        )
        after = deadline_row(engine, case.id, "training_proof")
        assert (after["status"], after["due_at"]) == (
            "pending",
            datetime(2027, 1, 4, 16, 0, tzinfo=UTC),
        )
        assert feed(engine, record) == ["taken_down"]

        clock.set(datetime(2027, 1, 4, 16, 0, tzinfo=UTC))
        assert fire_deadline(wf, training["id"]) == "expire_proof"
        assert feed(engine, record) == ["taken_down", "relisted"]
        assert_log_consistent(engine)

    def test_documents_in_before_the_official_due_complete_the_repair(
        self, wf, engine, clock
    ):
        clock.set(datetime(2026, 12, 25, 2, 0, tzinfo=UTC))
        record = make_record(engine, penalty_class="severe")
        case = commitment.submit(wf, record, "website", OFFICE, documents=[LETTER])
        commitment.fire_event(wf, case.id, "review", OFFICE)
        commitment.fire_event(wf, case.id, "request_confirmation", OFFICE)
        department = Actor("李强", "department", department_code(engine, record))
        training = deadline_row(engine, case.id, "training_proof")
        clock.set(datetime(2027, 1, 2, 1, 0, tzinfo=UTC))
        assert fire_deadline(wf, training["id"]) == "escalate"

        commitment.fire_event(wf, case.id, "confirm", department, {"fulfilled": True})
        assert deadline_row(engine, case.id, "training_proof")["id"] == training["id"]
        for document in (CERTIFICATE, REPORT):
            commitment.attach_document(wf, case.id, *document, OFFICE)

        with engine.connect() as conn:
            assert case_view(conn, case.id)["state"] == "effective"
        assert deadline_row(engine, case.id, "training_proof")["status"] == "met"
        wf.calendar = wf.calendar.with_official_days(NEW_YEAR_2027)
        assert recompute_open_deadlines(wf, OFFICE) == []
        assert feed(engine, record) == ["taken_down"]
        assert_log_consistent(engine)


class TestTheOfficeDecidesAnEscalatedTrainingDeadline:
    def test_with_a_reason_it_relists_and_bars_in_the_offices_name(
        self, wf, engine, clock
    ):
        record, case_id, deadline_id = severe_awaiting_training_proof(wf, engine, clock)
        escalated(wf, engine, clock, case_id, deadline_id)

        commitment.fire_event(
            wf, case_id, "expire_proof", OFFICE, {"reason": "2027年元旦放假安排已公布"}
        )

        with engine.connect() as conn:
            shown = case_view(conn, case_id)
            decided = case_history(conn, case_id)[-1]
        assert shown["state"] == "relisted_barred"
        assert (decided["event"], decided["actor"], decided["actor_role"]) == (
            "expire_proof",
            "王芳 (office)",
            "office",
        )
        assert decided["payload"]["reason"] == "2027年元旦放假安排已公布"
        assert decided["payload"]["deadline"]["id"] == deadline_id
        assert deadline_row(engine, case_id, "training_proof")["status"] == "fired"
        assert feed(engine, record) == ["taken_down", "relisted"]
        wf.calendar = wf.calendar.with_official_days(NEW_YEAR_2027)
        assert recompute_open_deadlines(wf, OFFICE) == []
        assert_log_consistent(engine)

    def test_only_the_office_with_a_reason_and_only_after_an_escalation(
        self, wf, engine, clock
    ):
        record, case_id, deadline_id = severe_awaiting_training_proof(wf, engine, clock)
        department = Actor("李强", "department", department_code(engine, record))
        with pytest.raises(InvalidInput, match="sent by the service only"):
            commitment.fire_event(wf, case_id, "expire_proof", OFFICE, {"reason": "x"})
        with engine.connect() as conn:
            assert "expire_proof" in case_view(conn, case_id)["service_events"]
        escalated(wf, engine, clock, case_id, deadline_id)
        with engine.connect() as conn:
            shown = case_view(conn, case_id)
        assert "expire_proof" in shown["allowed_events"]
        assert "expire_proof" not in shown["service_events"]

        with pytest.raises(Forbidden):
            commitment.fire_event(
                wf, case_id, "expire_proof", department, {"reason": "x"}
            )
        with pytest.raises(InvalidInput) as raised:
            commitment.fire_event(wf, case_id, "expire_proof", OFFICE, {})
        assert "reason" in raised.value.problems

        with engine.connect() as conn:
            assert case_view(conn, case_id)["state"] == "awaiting_training_proof"
        assert_log_consistent(engine)


class TestDepartmentDeadlinesInAnUnknownYear:
    def test_a_provisional_department_answer_escalates_once_and_reminders_follow(
        self, wf, engine, clock
    ):
        # asked Thu 2026-12-31: answer due Fri 2027-01-01 (provisional)
        clock.set(datetime(2026, 12, 31, 2, 0, tzinfo=UTC))
        record = make_record(engine, decision_date=date(2026, 6, 1))
        case = commitment.submit(wf, record, "website", OFFICE, documents=[LETTER])
        commitment.fire_event(wf, case.id, "review", OFFICE)
        commitment.fire_event(wf, case.id, "request_confirmation", OFFICE)
        answer = deadline_row(engine, case.id, "department_answer")
        clock.set(datetime(2027, 1, 1, 16, 0, tzinfo=UTC))
        assert fire_deadline(wf, answer["id"]) == "escalate"

        wf.calendar = wf.calendar.with_official_days(NEW_YEAR_2027)
        [moved] = recompute_open_deadlines(wf, OFFICE)

        assert moved.kind == "department_reminder"  # the answer stays fired
        assert deadline_row(engine, case.id, "department_answer")["status"] == "fired"
        reminder = deadline_row(engine, case.id, "department_reminder")
        assert (reminder["status"], reminder["due_at"]) == (
            "pending",
            datetime(2027, 1, 4, 16, 0, tzinfo=UTC),
        )
        assert events(engine, case.id).count("escalate") == 1
        assert_log_consistent(engine)
