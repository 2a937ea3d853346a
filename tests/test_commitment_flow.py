"""Commitment repair end to end, on SQLite and PostgreSQL, with a fake clock."""

from datetime import UTC, datetime

import pytest

from credit_repair.persistence.views import case_history, case_view
from credit_repair.workflow import commitment
from credit_repair.workflow.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    TransitionNotAllowed,
    VersionConflict,
)
from credit_repair.workflow.firing import fire_deadline
from credit_repair.workflow.model import Actor
from tests.checks import (
    assert_log_consistent,
    feed,
    is_published,
    notice_texts,
    notices,
)
from tests.factories import company_of, department_code, make_record

pytestmark = pytest.mark.storage

OFFICE = Actor("王芳", "office")
INTAKE = Actor("portal", "intake")
LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF letter")
CERTIFICATE = ("training_certificate", "培训证明.pdf", b"%PDF training")
REPORT = ("credit_report", "信用修复报告.pdf", b"%PDF report")


def department(engine, penalty_id) -> Actor:
    return Actor("李强", "department", department_code(engine, penalty_id))


def view(engine, case_id) -> dict:
    with engine.connect() as conn:
        return case_view(conn, case_id)


def deadlines(engine, case_id) -> dict[str, str]:
    return {d["kind"]: d["status"] for d in view(engine, case_id)["deadlines"]}


def due_ids(engine, case_id, kind) -> list[int]:
    return [
        d["id"]
        for d in view(engine, case_id)["deadlines"]
        if d["kind"] == kind and d["status"] == "pending"
    ]


def taken_down(wf, engine, penalty_class="general", documents=(LETTER,)):
    penalty_id = make_record(engine, penalty_class=penalty_class)
    case = commitment.submit(
        wf, penalty_id, "website", INTAKE, documents=list(documents)
    )
    commitment.fire_event(wf, case.id, "review", OFFICE)
    commitment.fire_event(wf, case.id, "request_confirmation", OFFICE)
    return penalty_id, case.id


class TestGeneralRecord:
    def test_fulfilled_takes_effect_and_stays_offline(self, wf, engine):
        penalty_id, case_id = taken_down(wf, engine)
        assert not is_published(engine, penalty_id)

        commitment.fire_event(
            wf, case_id, "confirm", department(engine, penalty_id), {"fulfilled": True}
        )

        shown = view(engine, case_id)
        assert (shown["state"], shown["version"], shown["is_open"]) == (
            "effective",
            4,
            False,
        )
        assert shown["state_label"] == "修复生效"
        assert deadlines(engine, case_id) == {
            "request_confirmation": "met",
            "department_answer": "met",
        }
        assert feed(engine, penalty_id) == ["taken_down"]
        assert not is_published(engine, penalty_id)
        assert_log_consistent(engine)

    def test_not_fulfilled_relists_and_bars_the_company(self, wf, engine):
        penalty_id, case_id = taken_down(wf, engine)

        commitment.fire_event(
            wf, case_id, "confirm", department(engine, penalty_id), {"fulfilled": False}
        )

        assert view(engine, case_id)["state"] == "relisted_barred"
        assert feed(engine, penalty_id) == ["taken_down", "relisted"]
        assert is_published(engine, penalty_id)
        company = company_of(engine, penalty_id)
        assert notices(engine, f"company:{company}")[-1] == "relisted_barred"
        assert notice_texts(engine, f"company:{company}")[-1] == (
            "因处罚机关确认行政处罚未全部履行，相关行政处罚信息已重新上线，"
            "贵单位不再适用“先修复后证明”。"
        )
        assert_log_consistent(engine)

    def test_the_department_is_asked_by_a_date_in_plain_chinese(self, wf, engine):
        penalty_id, case_id = taken_down(wf, engine)

        [asked] = notice_texts(
            engine, f"department:{department_code(engine, penalty_id)}"
        )
        assert asked == (
            f"请于2026-03-03 24:00前确认行政处罚（案件{case_id}）是否已全部履行。"
        )

    def test_a_barred_company_is_rejected_at_its_next_commitment(self, wf, engine):
        penalty_id, case_id = taken_down(wf, engine)
        commitment.fire_event(
            wf, case_id, "confirm", department(engine, penalty_id), {"fulfilled": False}
        )
        other = make_record(engine, company_id=company_of(engine, penalty_id))

        case = commitment.submit(wf, other, "website", INTAKE, documents=[LETTER])
        commitment.fire_event(wf, case.id, "review", OFFICE)

        shown = view(engine, case.id)
        assert shown["state"] == "rejected"
        assert is_published(engine, other)
        assert_log_consistent(engine)


class TestSevereRecord:
    def test_documents_in_time_take_effect_at_confirmation(self, wf, engine, clock):
        penalty_id, case_id = taken_down(wf, engine, "severe", [LETTER, CERTIFICATE])
        assert "training_proof" in deadlines(engine, case_id)
        commitment.attach_document(wf, case_id, *REPORT, INTAKE)

        commitment.fire_event(
            wf, case_id, "confirm", department(engine, penalty_id), {"fulfilled": True}
        )

        assert view(engine, case_id)["state"] == "effective"
        assert deadlines(engine, case_id)["training_proof"] == "met"
        assert_log_consistent(engine)

    def test_confirmed_as_general_it_takes_effect_and_drops_the_training_clock(
        self, wf, engine
    ):
        penalty_id, case_id = taken_down(wf, engine, "severe")

        commitment.fire_event(
            wf,
            case_id,
            "confirm",
            department(engine, penalty_id),
            {"fulfilled": True, "penalty_class": "general"},
        )

        assert view(engine, case_id)["state"] == "effective"
        assert deadlines(engine, case_id) == {
            "request_confirmation": "met",
            "department_answer": "met",
            "training_proof": "cancelled",
        }
        assert_log_consistent(engine)

    def test_not_fulfilled_meets_the_answer_and_cancels_the_training_clock(
        self, wf, engine
    ):
        penalty_id, case_id = taken_down(wf, engine, "severe")

        commitment.fire_event(
            wf, case_id, "confirm", department(engine, penalty_id), {"fulfilled": False}
        )

        assert view(engine, case_id)["state"] == "relisted_barred"
        assert deadlines(engine, case_id) == {
            "request_confirmation": "met",
            "department_answer": "met",
            "training_proof": "cancelled",
        }
        assert_log_consistent(engine)

    def test_documents_after_confirmation_complete_the_repair(self, wf, engine):
        penalty_id, case_id = taken_down(wf, engine, "severe")
        commitment.fire_event(
            wf, case_id, "confirm", department(engine, penalty_id), {"fulfilled": True}
        )
        assert view(engine, case_id)["state"] == "awaiting_training_proof"

        commitment.attach_document(wf, case_id, *CERTIFICATE, INTAKE)
        assert view(engine, case_id)["state"] == "awaiting_training_proof"
        commitment.attach_document(wf, case_id, *REPORT, INTAKE)

        assert view(engine, case_id)["state"] == "effective"
        assert_log_consistent(engine)

    def test_missing_documents_relist_and_bar_when_the_7_days_pass(
        self, wf, engine, clock
    ):
        # Mon 2026-03-02 09:00 Shanghai; 7 days → Mon 03-09 24:00 = 03-09 16:00Z
        penalty_id, case_id = taken_down(wf, engine, "severe")
        commitment.fire_event(
            wf, case_id, "confirm", department(engine, penalty_id), {"fulfilled": True}
        )
        [training] = due_ids(engine, case_id, "training_proof")

        clock.set(datetime(2026, 3, 9, 15, 59, 59, tzinfo=UTC))
        assert fire_deadline(wf, training) is None
        clock.set(datetime(2026, 3, 9, 16, 0, tzinfo=UTC))
        assert fire_deadline(wf, training) == "expire_proof"
        assert fire_deadline(wf, training) is None

        assert view(engine, case_id)["state"] == "relisted_barred"
        assert feed(engine, penalty_id) == ["taken_down", "relisted"]
        assert_log_consistent(engine)

    def test_severity_found_at_confirmation_starts_the_7_days_then(
        self, wf, engine, clock
    ):
        penalty_id, case_id = taken_down(wf, engine, "general")
        clock.set(datetime(2026, 3, 3, 2, 0, tzinfo=UTC))  # Tue 10:00
        commitment.fire_event(
            wf,
            case_id,
            "confirm",
            department(engine, penalty_id),
            {"fulfilled": True, "penalty_class": "severe"},
        )

        shown = view(engine, case_id)
        assert shown["state"] == "awaiting_training_proof"
        [training] = [d for d in shown["deadlines"] if d["kind"] == "training_proof"]
        assert training["due_at"] == datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
        assert_log_consistent(engine)


class TestDepartmentLate:
    def test_escalates_and_reminds_each_working_day_without_punishing(
        self, wf, engine, clock
    ):
        # requested Mon 03-02; answer due Tue 03-03 24:00 (16:00Z)
        penalty_id, case_id = taken_down(wf, engine)
        [answer] = due_ids(engine, case_id, "department_answer")

        clock.set(datetime(2026, 3, 3, 16, 0, tzinfo=UTC))
        assert fire_deadline(wf, answer) == "escalate"
        [reminder] = due_ids(engine, case_id, "department_reminder")
        clock.set(datetime(2026, 3, 4, 16, 0, tzinfo=UTC))
        assert fire_deadline(wf, reminder) == "escalate"

        shown = view(engine, case_id)
        assert shown["state"] == "awaiting_confirmation"
        assert shown["escalated_at"] == datetime(2026, 3, 4, 16, 0, tzinfo=UTC)
        code = department_code(engine, penalty_id)
        assert notices(engine, f"department:{code}") == [
            "confirmation_requested",
            "reminder",
            "reminder",
        ]

        commitment.fire_event(
            wf, case_id, "confirm", department(engine, penalty_id), {"fulfilled": True}
        )
        assert view(engine, case_id)["state"] == "effective"
        assert "department_reminder" not in {
            d["kind"]
            for d in view(engine, case_id)["deadlines"]
            if d["status"] == "pending"
        }
        assert_log_consistent(engine)

    def test_the_office_is_told_in_chinese_which_deadline_passed(
        self, wf, engine, clock
    ):
        _penalty_id, case_id = taken_down(wf, engine)
        [answer] = due_ids(engine, case_id, "department_answer")

        clock.set(datetime(2026, 3, 3, 16, 0, tzinfo=UTC))
        fire_deadline(wf, answer)

        assert notice_texts(engine, "office") == [
            f"案件{case_id}：期限“处罚机关反馈履行情况”已过。"
        ]
        assert_log_consistent(engine)

    def test_a_reminder_due_on_friday_is_followed_by_monday(self, wf, engine, clock):
        clock.set(datetime(2026, 3, 5, 2, 0, tzinfo=UTC))  # Thu
        _penalty_id, case_id = taken_down(wf, engine)
        [answer] = due_ids(engine, case_id, "department_answer")  # Fri 24:00
        clock.set(datetime(2026, 3, 6, 16, 0, tzinfo=UTC))
        fire_deadline(wf, answer)

        [reminder] = [
            d
            for d in view(engine, case_id)["deadlines"]
            if d["kind"] == "department_reminder"
        ]
        assert reminder["due_at"] == datetime(2026, 3, 9, 16, 0, tzinfo=UTC)


class TestRejection:
    def test_specific_severe_lists_every_unmet_condition(self, wf, engine, clock):
        penalty_id = make_record(
            engine,
            penalty_class="specific_severe",
            decision_date=datetime(2026, 1, 10).date(),
            is_published=False,
        )
        case = commitment.submit(wf, penalty_id, "website", INTAKE)
        commitment.fire_event(wf, case.id, "review", OFFICE)

        assert view(engine, case.id)["state"] == "rejected"
        company = company_of(engine, penalty_id)
        assert notices(engine, f"company:{company}") == ["one_time_notice"]
        with engine.connect() as conn:
            review = case_history(conn, case.id)[-1]
        codes = [u["code"] for u in review["payload"]["unmet"]]
        assert sorted(codes) == [
            "commitment_letter_missing",
            "not_published",
            "specific_severe",
        ]
        assert feed(engine, penalty_id) == []
        assert_log_consistent(engine)

    def test_the_case_itself_says_why_it_was_rejected(self, wf, engine):
        penalty_id = make_record(engine, penalty_class="specific_severe")
        case = commitment.submit(wf, penalty_id, "website", INTAKE)
        commitment.fire_event(wf, case.id, "review", OFFICE)

        outcome = view(engine, case.id)["outcome"]
        assert outcome["review"] == "rejected"
        assert [u["code"] for u in outcome["unmet"]] == [
            "specific_severe",
            "commitment_letter_missing",
        ]
        assert outcome["unmet"][1]["message_zh"] == "缺少信用修复承诺书。"
        [notice] = notice_texts(engine, f"company:{company_of(engine, penalty_id)}")
        assert notice.startswith(
            "您的信用修复承诺未通过审核，原因如下：1. 属于特定严重失信"
        )
        assert notice.endswith("不予提前修复。2. 缺少信用修复承诺书。")
        assert_log_consistent(engine)

    def test_a_passed_review_is_kept_on_the_case_too(self, wf, engine):
        _penalty_id, case_id = taken_down(wf, engine)

        outcome = view(engine, case_id)["outcome"]
        assert (outcome["review"], outcome["unmet"]) == ("taken_down", [])
        assert_log_consistent(engine)


class TestWithdrawal:
    def test_withdrawing_a_taken_down_case_relists_without_a_bar(self, wf, engine):
        penalty_id, case_id = taken_down(wf, engine)

        commitment.fire_event(wf, case_id, "withdraw", INTAKE, {"reason": "公司撤回"})

        assert view(engine, case_id)["state"] == "withdrawn"
        assert feed(engine, penalty_id) == ["taken_down", "relisted"]
        assert deadlines(engine, case_id) == {
            "request_confirmation": "met",
            "department_answer": "cancelled",
        }
        again = commitment.submit(wf, penalty_id, "website", INTAKE, documents=[LETTER])
        commitment.fire_event(wf, again.id, "review", OFFICE)
        assert view(engine, again.id)["state"] == "taken_down"
        assert_log_consistent(engine)


class TestGuards:
    def test_one_open_case_per_record(self, wf, engine):
        penalty_id = make_record(engine)
        first = commitment.submit(wf, penalty_id, "website", INTAKE)
        with pytest.raises(Conflict, match=rf"already has an open case \({first.id}\)"):
            commitment.submit(wf, penalty_id, "email", INTAKE)

    def test_submit_proof_as_an_event_says_a_document_sends_it(self, wf, engine):
        _penalty_id, case_id = taken_down(wf, engine)

        with pytest.raises(InvalidInput, match="attaching the training certificate"):
            commitment.fire_event(wf, case_id, "submit_proof", OFFICE)
        with pytest.raises(InvalidInput, match="sent by the service only"):
            commitment.fire_event(wf, case_id, "expire_proof", OFFICE)

    def test_an_email_keeps_its_receipt_time_but_never_a_future_one(
        self, wf, engine, clock
    ):
        penalty_id = make_record(engine)
        arrived = datetime(2026, 2, 27, 23, 30, tzinfo=UTC)
        case = commitment.submit(wf, penalty_id, "email", INTAKE, received_at=arrived)
        assert view(engine, case.id)["received_at"] == arrived

        later = make_record(engine)
        with pytest.raises(InvalidInput) as raised:
            commitment.submit(
                wf, later, "email", INTAKE, received_at=datetime(2026, 3, 9, tzinfo=UTC)
            )
        assert "received_at" in raised.value.problems

    def test_a_stale_version_is_refused_and_changes_nothing(self, wf, engine):
        penalty_id = make_record(engine)
        case = commitment.submit(wf, penalty_id, "website", INTAKE, documents=[LETTER])
        commitment.fire_event(wf, case.id, "review", OFFICE, expected_version=1)

        with pytest.raises(VersionConflict):
            commitment.fire_event(wf, case.id, "withdraw", INTAKE, expected_version=1)
        assert view(engine, case.id)["state"] == "taken_down"
        assert_log_consistent(engine)

    def test_an_event_the_state_does_not_accept_names_the_allowed_ones(
        self, wf, engine
    ):
        penalty_id = make_record(engine)
        case = commitment.submit(wf, penalty_id, "website", INTAKE)
        with pytest.raises(TransitionNotAllowed) as raised:
            commitment.fire_event(wf, case.id, "confirm", OFFICE, {"fulfilled": True})
        assert raised.value.allowed == ["review", "withdraw"]  # what callers send

    def test_another_department_may_not_confirm(self, wf, engine):
        _penalty_id, case_id = taken_down(wf, engine)
        stranger = Actor("张三", "department", "OTHER")
        with pytest.raises(Forbidden, match="only department"):
            commitment.fire_event(wf, case_id, "confirm", stranger, {"fulfilled": True})
        assert view(engine, case_id)["version"] == 3

    def test_a_failure_mid_transition_leaves_nothing_behind(
        self, wf, engine, monkeypatch
    ):
        penalty_id = make_record(engine)
        case = commitment.submit(wf, penalty_id, "website", INTAKE, documents=[LETTER])
        from credit_repair.persistence.stores import outbox

        def broken(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(outbox.SqlOutbox, "notify", broken)
        with pytest.raises(RuntimeError):
            commitment.fire_event(wf, case.id, "review", OFFICE)

        shown = view(engine, case.id)
        assert (shown["state"], shown["version"], shown["deadlines"]) == (
            "submitted",
            1,
            [],
        )
        assert is_published(engine, penalty_id)
        assert feed(engine, penalty_id) == []
        assert_log_consistent(engine)
