"""A severe commitment case tells the company what it still has to send, the
training certificate and the credit repair report, and by when: at the takedown,
and when confirmation leaves the case waiting for them. SQLite and PostgreSQL,
with a fake clock."""

from datetime import UTC, date, datetime

import pytest

from credit_repair.persistence.views import case_view
from credit_repair.workflow import commitment
from credit_repair.workflow.firing import fire_deadline
from credit_repair.workflow.model import Actor
from credit_repair.workflow.regimes import load_regime
from tests.checks import assert_log_consistent, notice_texts, notices
from tests.factories import company_of, department_code, make_record

pytestmark = pytest.mark.storage

OFFICE = Actor("王芳", "office")
INTAKE = Actor("portal", "intake")
LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF letter")
CERTIFICATE = ("training_certificate", "培训证明.pdf", b"%PDF training")
REPORT = ("credit_report", "信用修复报告.pdf", b"%PDF report")
TAKEN_DOWN = "您的信用修复承诺已通过审核，相关行政处罚信息已下线。"
LATE = "逾期未提交齐全的，相关行政处罚信息将重新上线，贵单位不再适用“先修复后证明”。"


def reviewed(wf, engine, penalty_class="severe", documents=(LETTER,), **record):
    """Filed on Mon 2026-03-02 09:00 (the clock's start) and reviewed at once."""
    penalty_id = make_record(engine, penalty_class=penalty_class, **record)
    case = commitment.submit(
        wf, penalty_id, "website", INTAKE, documents=list(documents)
    )
    commitment.fire_event(wf, case.id, "review", OFFICE)
    return penalty_id, case.id


def told(engine, penalty_id) -> list[str]:
    return notice_texts(engine, f"company:{company_of(engine, penalty_id)}")


def deadlines(engine, case_id) -> dict[str, dict]:
    with engine.connect() as conn:
        return {d["kind"]: d for d in case_view(conn, case_id)["deadlines"]}


def confirm(wf, engine, penalty_id, case_id, **inputs):
    commitment.fire_event(wf, case_id, "request_confirmation", OFFICE)
    department = Actor("李强", "department", department_code(engine, penalty_id))
    commitment.fire_event(
        wf, case_id, "confirm", department, {"fulfilled": True, **inputs}
    )


class TestAtTakedown:
    def test_a_severe_record_names_both_documents_and_the_due_date(self, wf, engine):
        penalty_id, _case_id = reviewed(wf, engine)

        assert told(engine, penalty_id) == [
            f"{TAKEN_DOWN}该信息属于严重失信，请于2026-03-09 24:00前提交"
            f"信用修复培训证明和信用修复报告；{LATE}"
        ]
        assert_log_consistent(engine)

    def test_a_document_already_in_is_named_as_received(self, wf, engine):
        penalty_id, _case_id = reviewed(wf, engine, documents=[LETTER, CERTIFICATE])

        assert told(engine, penalty_id) == [
            f"{TAKEN_DOWN}该信息属于严重失信，请于2026-03-09 24:00前提交"
            f"信用修复报告（信用修复培训证明已收到）；{LATE}"
        ]

    def test_a_general_record_is_only_told_it_is_offline(self, wf, engine):
        penalty_id, _case_id = reviewed(wf, engine, penalty_class="general")

        assert told(engine, penalty_id) == [TAKEN_DOWN]

    def test_a_regime_without_training_asks_for_nothing(self, wf, engine):
        wf.regime = load_regime("national-2023")
        penalty_id, case_id = reviewed(wf, engine, decision_date=date(2025, 1, 10))

        assert told(engine, penalty_id) == [TAKEN_DOWN]
        assert "training_proof" not in deadlines(engine, case_id)

    def test_a_provisional_due_date_says_it_may_move(self, wf, engine, clock):
        clock.set(datetime(2026, 12, 28, 2, 0, tzinfo=UTC))

        penalty_id, _case_id = reviewed(wf, engine)

        [text] = told(engine, penalty_id)
        assert "请于2027-01-04 24:00前提交信用修复培训证明和信用修复报告" in text
        assert "该期限为临时期限" in text


class TestBothDocumentsWithTheLetter:
    def test_the_training_deadline_is_met_at_takedown_and_never_relists(
        self, wf, engine, clock
    ):
        penalty_id, case_id = reviewed(
            wf, engine, documents=[LETTER, CERTIFICATE, REPORT]
        )
        assert told(engine, penalty_id) == [
            f"{TAKEN_DOWN}该信息属于严重失信，已收到信用修复培训证明和信用修复报告。"
        ]
        training = deadlines(engine, case_id)["training_proof"]
        assert training["status"] == "met"

        clock.set(datetime(2026, 3, 10, 1, 0, tzinfo=UTC))  # the 7 days are over
        assert fire_deadline(wf, training["id"]) is None
        confirm(wf, engine, penalty_id, case_id)

        with engine.connect() as conn:
            assert case_view(conn, case_id)["state"] == "effective"
        assert_log_consistent(engine)


class TestAtConfirmation:
    def test_a_record_the_department_finds_severe_is_asked_for_both(
        self, wf, engine, clock
    ):
        penalty_id, case_id = reviewed(wf, engine, penalty_class="general")
        clock.set(datetime(2026, 3, 3, 2, 0, tzinfo=UTC))  # Tue 10:00

        confirm(wf, engine, penalty_id, case_id, penalty_class="severe")

        company = f"company:{company_of(engine, penalty_id)}"
        assert notices(engine, company) == ["taken_down", "training_proof_requested"]
        assert told(engine, penalty_id)[-1] == (
            f"处罚机关已确认行政处罚（案件{case_id}）已全部履行，并认定该行政处罚"
            "属于严重失信。请于2026-03-10 24:00前提交信用修复培训证明和"
            f"信用修复报告；{LATE}"
        )
        assert_log_consistent(engine)

    def test_a_severe_case_is_reminded_of_the_running_deadline(self, wf, engine, clock):
        penalty_id, case_id = reviewed(wf, engine, documents=[LETTER, REPORT])
        clock.set(datetime(2026, 3, 4, 2, 0, tzinfo=UTC))

        confirm(wf, engine, penalty_id, case_id)

        assert told(engine, penalty_id)[-1] == (
            f"处罚机关已确认行政处罚（案件{case_id}）已全部履行。请于2026-03-09 "
            f"24:00前提交信用修复培训证明（信用修复报告已收到）；{LATE}"
        )
        assert_log_consistent(engine)
