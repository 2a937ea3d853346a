"""When a commitment was received, and what that means at review: only e-mail and
staff intake keep a past receipt time, and a severe record whose training
deadline (counted from receipt) passed before the review is rejected with the
reason instead of being taken down and barred a second later. SQLite and
PostgreSQL, with a fake clock."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from credit_repair.persistence.views import case_view
from credit_repair.workflow import commitment
from credit_repair.workflow.errors import InvalidInput
from credit_repair.workflow.model import Actor
from tests.checks import assert_log_consistent, feed, notice_texts, notices
from tests.factories import company_of, make_record

pytestmark = pytest.mark.storage

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = Actor("王芳", "office")
INTAKE = Actor("portal", "intake")
LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF letter")
CERTIFICATE = ("training_certificate", "培训证明.pdf", b"%PDF training")
REPORT = ("credit_report", "信用修复报告.pdf", b"%PDF report")
RECEIVED = datetime(2026, 11, 1, 9, 0, tzinfo=SHANGHAI)  # a Sunday
REVIEWED = datetime(2026, 12, 4, 10, 0, tzinfo=SHANGHAI)


def view(engine, case_id) -> dict:
    with engine.connect() as conn:
        return case_view(conn, case_id)


def emailed(wf, engine, clock, received=RECEIVED, documents=(LETTER,), **record):
    penalty_id = make_record(engine, penalty_class="severe", **record)
    clock.set(REVIEWED)
    case = commitment.submit(
        wf, penalty_id, "email", INTAKE, received_at=received, documents=documents
    )
    return penalty_id, case.id


class TestReviewAfterTheTrainingDeadline:
    def test_rejects_with_the_reason_instead_of_taking_down_and_barring(
        self, wf, engine, clock
    ):
        penalty_id, case_id = emailed(wf, engine, clock)

        commitment.fire_event(wf, case_id, "review", OFFICE)

        shown = view(engine, case_id)
        assert shown["state"] == "rejected"
        [unmet] = shown["outcome"]["unmet"]
        assert unmet["code"] == "training_proof_overdue"
        assert unmet["detail"] == {
            "received_on": "2026-11-01",
            "days": 7,
            "last_day": "2026-11-09",
            "missing": ["training_certificate", "credit_report"],
            "provisional": False,
        }
        assert unmet["message_zh"] == (
            "承诺书于2026-11-01收到，信用修复培训证明和信用修复报告应自收到之日起"
            "7日内（至2026-11-09 24:00）提交，审核时该期限已过；"
            "请备齐信用修复培训证明和信用修复报告后重新提交承诺书。"
        )
        assert feed(engine, penalty_id) == []
        company = company_of(engine, penalty_id)
        assert notices(engine, f"company:{company}") == ["one_time_notice"]
        [notice] = notice_texts(engine, f"company:{company}")
        assert "1. 承诺书于2026-11-01收到" in notice
        assert shown["deadlines"] == []
        assert_log_consistent(engine)

    def test_every_other_unmet_condition_is_named_with_it(self, wf, engine, clock):
        _penalty_id, case_id = emailed(
            wf, engine, clock, documents=[CERTIFICATE], decision_date=date(2026, 9, 1)
        )

        commitment.fire_event(wf, case_id, "review", OFFICE)

        codes = [u["code"] for u in view(engine, case_id)["outcome"]["unmet"]]
        assert codes == [
            "minimum_period_not_reached",
            "commitment_letter_missing",
            "training_proof_overdue",
        ]
        assert view(engine, case_id)["outcome"]["unmet"][2]["detail"]["missing"] == [
            "credit_report"
        ]
        assert_log_consistent(engine)

    def test_the_company_may_file_again_and_is_not_barred(self, wf, engine, clock):
        penalty_id, case_id = emailed(wf, engine, clock)
        commitment.fire_event(wf, case_id, "review", OFFICE)

        again = commitment.submit(wf, penalty_id, "website", INTAKE, documents=[LETTER])
        commitment.fire_event(wf, again.id, "review", OFFICE)

        shown = view(engine, again.id)
        assert shown["state"] == "taken_down"
        [training] = [d for d in shown["deadlines"] if d["kind"] == "training_proof"]
        assert training["due_at"] == datetime(2026, 12, 12, tzinfo=SHANGHAI)
        assert_log_consistent(engine)

    def test_with_both_documents_in_the_record_is_taken_down(self, wf, engine, clock):
        _penalty_id, case_id = emailed(
            wf, engine, clock, documents=[LETTER, CERTIFICATE, REPORT]
        )

        commitment.fire_event(wf, case_id, "review", OFFICE)

        assert view(engine, case_id)["state"] == "taken_down"
        assert_log_consistent(engine)

    def test_a_deadline_still_running_takes_the_record_down(self, wf, engine, clock):
        received = datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)
        _penalty_id, case_id = emailed(wf, engine, clock, received=received)

        commitment.fire_event(wf, case_id, "review", OFFICE)

        shown = view(engine, case_id)
        assert shown["state"] == "taken_down"
        [training] = [d for d in shown["deadlines"] if d["kind"] == "training_proof"]
        assert training["due_at"] == datetime(2026, 12, 8, tzinfo=SHANGHAI)
        assert_log_consistent(engine)

    def test_a_general_record_has_no_training_deadline_to_miss(self, wf, engine, clock):
        penalty_id = make_record(
            engine, penalty_class="general", decision_date=date(2026, 6, 1)
        )
        clock.set(REVIEWED)
        case = commitment.submit(
            wf, penalty_id, "email", INTAKE, received_at=RECEIVED, documents=[LETTER]
        )

        commitment.fire_event(wf, case.id, "review", OFFICE)

        assert view(engine, case.id)["state"] == "taken_down"


class TestReceiptTime:
    def test_a_website_application_is_received_when_it_arrives(self, wf, engine, clock):
        clock.set(REVIEWED)
        with pytest.raises(InvalidInput) as raised:
            commitment.submit(
                wf, make_record(engine), "website", INTAKE, received_at=RECEIVED
            )
        assert raised.value.problems == {
            "received_at": "a website application is received when it arrives; "
            "give a receipt time only for email or intake"
        }

    def test_staff_intake_keeps_the_time_a_letter_was_handed_in(
        self, wf, engine, clock
    ):
        clock.set(REVIEWED)
        handed_in = datetime(2026, 12, 3, 16, 30, tzinfo=SHANGHAI)
        case = commitment.submit(
            wf, make_record(engine), "intake", OFFICE, received_at=handed_in
        )
        assert view(engine, case.id)["received_at"] == handed_in

    def test_no_channel_takes_a_future_receipt_time(self, wf, engine, clock):
        clock.set(REVIEWED)
        for channel in ("email", "intake"):
            with pytest.raises(InvalidInput, match="in the future"):
                commitment.submit(
                    wf,
                    make_record(engine),
                    channel,
                    INTAKE,
                    received_at=datetime(2026, 12, 5, tzinfo=SHANGHAI),
                )
