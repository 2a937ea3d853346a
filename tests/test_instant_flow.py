"""Instant national repair (0工作日) end to end, on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from credit_repair.persistence.notifications import notifications
from credit_repair.persistence.tables import PenaltyRecord, PublicationChange
from credit_repair.persistence.unit_of_work import SqlUnitOfWork
from credit_repair.persistence.views import case_history, case_view
from credit_repair.workflow import commitment, instant
from credit_repair.workflow.calendar import WorkingCalendar
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    ResubmissionRefused,
    TransitionNotAllowed,
)
from credit_repair.workflow.firing import fire_deadline
from credit_repair.workflow.model import Actor
from credit_repair.workflow.regimes import load_regime
from tests.checks import assert_log_consistent, feed, is_published
from tests.factories import company_of, department_code, make_record

pytestmark = pytest.mark.storage

INTAKE = Actor("national-site", "intake")
OFFICE = Actor("王芳", "office")
LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF letter")
CERTIFICATE = ("training_certificate", "培训证明.pdf", b"%PDF training")
REPORT = ("credit_report", "信用修复报告.pdf", b"%PDF report")
LETTER_SHA256 = "b8c33ecd083406576e0fcbd08fbd0d6dea9cf9fcad0dd7e12bc149881d249c96"
# Mon 2026-03-02 09:00 Shanghai + 5 working days → Mon 03-09 24:00 = 16:00Z
ANSWER_DUE = datetime(2026, 3, 9, 16, 0, tzinfo=UTC)


@pytest.fixture
def wf(engine, clock) -> Workflow:
    return Workflow(
        unit_of_work=lambda: SqlUnitOfWork(engine, clock),
        clock=clock,
        calendar=WorkingCalendar(),
        regime=load_regime("kunming-2020"),
    )


def national(engine, **fields) -> int:
    return make_record(engine, published_where="national", **fields)


def view(engine, case_id) -> dict:
    with engine.connect() as conn:
        return case_view(conn, case_id)


def events(engine, case_id) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        return [
            (row["event"], row["target"], row["actor"])
            for row in case_history(conn, case_id)
        ]


def told(engine, recipient) -> list[dict]:
    with engine.connect() as conn:
        return notifications(conn, recipient)


def forwarded_case(wf, engine, **fields) -> tuple[int, int]:
    penalty_id = national(engine, **fields)
    result = instant.apply(wf, penalty_id, INTAKE, [LETTER])
    assert result.forwarded
    return penalty_id, result.case.id


class TestEligibleApplication:
    def test_is_forwarded_at_once_with_everything_the_upper_level_needs(
        self, wf, engine
    ):
        penalty_id = national(engine, company_uscc="91530100MA6K1234XY")

        result = instant.apply(wf, penalty_id, INTAKE, [LETTER])

        assert (result.case.state, result.case.version, result.unmet) == (
            "forwarded",
            2,
            [],
        )
        assert events(engine, result.case.id) == [
            ("submit", "submitted", "national-site (intake)"),
            ("prelim_review", "forwarded", "preliminary review (system)"),
        ]
        [message] = told(engine, "upper_level")
        dossier = message["payload"]
        assert message["kind"] == "upper_level_review"
        assert "91530100MA6K1234XY" in message["text"]
        assert dossier["record"]["id"] == penalty_id
        assert dossier["record"]["decision_number"].startswith("昆市监罚〔2025〕")
        assert dossier["record"]["decision_date"] == "2025-06-01"
        assert dossier["company"]["uscc"] == "91530100MA6K1234XY"
        assert dossier["department"]["code"] == department_code(engine, penalty_id)
        assert dossier["documents"] == [
            {
                "kind": "commitment_letter",
                "name": "承诺书.pdf",
                "size": 11,
                "sha256": LETTER_SHA256,
            }
        ]
        company = f"company:{company_of(engine, penalty_id)}"
        assert [n["kind"] for n in told(engine, company)] == ["instant_forwarded"]
        [deadline] = view(engine, result.case.id)["deadlines"]
        assert (deadline["kind"], deadline["due_at"], deadline["status"]) == (
            "upper_level_answer",
            ANSWER_DUE,
            "pending",
        )
        assert is_published(engine, penalty_id)
        assert_log_consistent(engine)

    def test_a_severe_record_with_all_three_documents_is_forwarded(self, wf, engine):
        penalty_id = national(engine, penalty_class="severe")
        result = instant.apply(wf, penalty_id, INTAKE, [LETTER, CERTIFICATE, REPORT])
        assert result.forwarded
        [message] = told(engine, "upper_level")
        kinds = [d["kind"] for d in message["payload"]["documents"]]
        assert kinds == ["commitment_letter", "training_certificate", "credit_report"]
        assert_log_consistent(engine)

    def test_the_answer_period_is_configurable(self, wf, engine):
        wf.instant_answer_working_days = 1
        _penalty_id, case_id = forwarded_case(wf, engine)
        [deadline] = view(engine, case_id)["deadlines"]
        assert deadline["due_at"] == datetime(2026, 3, 3, 16, 0, tzinfo=UTC)


# condition → (record fields, documents), failing that condition only (2026-03-02)
ONE_CONDITION = {
    "not_published": ({"is_published": False}, [LETTER]),
    "not_on_national_site": ({"published_where": "city"}, [LETTER]),
    "specific_severe": (
        {"penalty_class": "specific_severe"},
        [LETTER, CERTIFICATE, REPORT],
    ),
    "period_start_unknown": ({"decision_date": None, "published_on": None}, [LETTER]),
    "minimum_period_not_reached": ({"decision_date": date(2025, 12, 15)}, [LETTER]),
    "past_maximum_period": ({"decision_date": date(2025, 3, 1)}, [LETTER]),
    "commitment_letter_missing": ({}, []),
    "training_certificate_missing": ({"penalty_class": "severe"}, [LETTER, REPORT]),
    "credit_report_missing": ({"penalty_class": "severe"}, [LETTER, CERTIFICATE]),
}


class TestReturnedApplication:
    @pytest.mark.parametrize("condition", list(ONE_CONDITION))
    def test_one_unmet_condition_returns_the_application(self, wf, engine, condition):
        fields, documents = ONE_CONDITION[condition]
        penalty_id = make_record(engine, **{"published_where": "national", **fields})

        result = instant.apply(wf, penalty_id, INTAKE, documents)

        assert [u.code for u in result.unmet] == [condition]
        assert result.as_dict()["state"] == "returned"
        assert result.as_dict()["unmet"][0]["code"] == condition
        self.assert_returned_with_notice(engine, result, [condition])

    def test_every_unmet_condition_and_missing_document_is_told_at_once(
        self, wf, engine
    ):
        penalty_id = make_record(
            engine,
            penalty_class="specific_severe",
            decision_date=None,
            published_on=None,
            is_published=False,
            published_where="city",
        )

        result = instant.apply(wf, penalty_id, INTAKE, [])

        codes = [
            "not_published",
            "not_on_national_site",
            "specific_severe",
            "period_start_unknown",
            "commitment_letter_missing",
            "training_certificate_missing",
            "credit_report_missing",
        ]
        assert [u.code for u in result.unmet] == codes
        notice = self.assert_returned_with_notice(engine, result, codes)
        assert notice["payload"]["missing_documents"] == [
            "commitment_letter",
            "training_certificate",
            "credit_report",
        ]
        assert "7. 缺少信用修复报告。" in notice["text"]

    def assert_returned_with_notice(self, engine, result, codes) -> dict:
        case_id = result.case.id
        shown = view(engine, case_id)
        assert (shown["state"], shown["version"], shown["is_open"]) == (
            "returned",
            2,
            True,
        )
        assert shown["state_label"] == "已退回补正"
        assert shown["outcome"]["unmet"] == codes
        assert shown["deadlines"] == []
        with engine.connect() as conn:
            review = case_history(conn, case_id)[-1]
        assert [u["code"] for u in review["payload"]["unmet"]] == codes
        assert review["payload"]["guards"] == {"unmet": codes}
        company = f"company:{result.case.company_id}"
        [notice] = told(engine, company)
        assert notice["kind"] == "one_time_notice"
        assert [u["code"] for u in notice["payload"]["unmet"]] == codes
        for unmet in result.unmet:
            assert unmet.message_zh in notice["text"]
        assert told(engine, "upper_level") == []
        assert feed(engine, result.case.penalty_id) == []
        assert_log_consistent(engine)
        return notice


class TestResubmission:
    def test_the_missing_document_gets_the_application_forwarded(self, wf, engine):
        penalty_id = national(engine)
        returned = instant.apply(wf, penalty_id, INTAKE, [])

        result = instant.resubmit(
            wf, returned.case.id, INTAKE, [LETTER], expected_version=2
        )

        assert (result.case.state, result.case.version, result.unmet) == (
            "forwarded",
            4,
            [],
        )
        assert [e[:2] for e in events(engine, result.case.id)] == [
            ("submit", "submitted"),
            ("prelim_review", "returned"),
            ("resubmit", "submitted"),
            ("prelim_review", "forwarded"),
        ]
        assert [d["kind"] for d in view(engine, result.case.id)["documents"]] == [
            "commitment_letter"
        ]
        assert len(told(engine, "upper_level")) == 1
        assert_log_consistent(engine)

    def test_a_resubmission_still_incomplete_is_returned_again(self, wf, engine):
        penalty_id = national(engine, penalty_class="severe")
        returned = instant.apply(wf, penalty_id, INTAKE, [LETTER])

        result = instant.resubmit(wf, returned.case.id, INTAKE, [CERTIFICATE])

        assert [u.code for u in result.unmet] == ["credit_report_missing"]
        company = f"company:{returned.case.company_id}"
        assert [n["kind"] for n in told(engine, company)] == ["one_time_notice"] * 2
        assert_log_consistent(engine)

    def test_once_the_minimum_period_passes_resubmitting_as_is_forwards(
        self, wf, engine, clock
    ):
        # decided 2025-12-15: 3 months end 2026-03-15, eligible from 03-16
        penalty_id = national(engine, decision_date=date(2025, 12, 15))
        returned = instant.apply(wf, penalty_id, INTAKE, [LETTER])
        assert returned.unmet[0].detail["eligible_from"] == "2026-03-16"

        clock.set(datetime(2026, 3, 15, 15, 59, tzinfo=UTC))  # Sun 23:59 Shanghai
        early = instant.fire_event(wf, returned.case.id, "resubmit", INTAKE)
        assert early.state == "returned"
        clock.set(datetime(2026, 3, 15, 16, 0, tzinfo=UTC))  # Mon 00:00 Shanghai
        case = instant.fire_event(wf, returned.case.id, "resubmit", INTAKE)

        assert (case.state, case.version) == ("forwarded", 6)
        assert_log_consistent(engine)

    def test_a_returned_application_can_be_withdrawn_to_free_the_record(
        self, wf, engine
    ):
        penalty_id = national(engine)
        returned = instant.apply(wf, penalty_id, INTAKE, [])

        case = instant.fire_event(
            wf, returned.case.id, "withdraw", INTAKE, {"reason": "改用承诺修复"}
        )

        assert (case.state, case.is_open) == ("withdrawn", False)
        other = commitment.submit(wf, penalty_id, "website", INTAKE)
        assert other.state == "submitted"
        assert_log_consistent(engine)


class TestNothingTheCompanyCanSend:
    """A condition that depends on the record, not on the company, is told as
    such: the one-time notice does not invite a resubmission that cannot pass,
    says what happens instead, and a resubmission is refused."""

    def test_a_record_past_its_maximum_is_told_it_comes_offline_by_itself(
        self, wf, engine
    ):
        penalty_id = national(engine, decision_date=date(2025, 3, 1))

        result = instant.apply(wf, penalty_id, INTAKE, [LETTER])

        notice = told(engine, f"company:{result.case.company_id}")[-1]
        assert notice["text"].endswith(
            "其中第1项无法通过补正解决，本申请不能重新提交："
            "该信息已届满最长公示期限，将由系统自动撤下公示，无需办理。"
        )
        assert "请补齐后重新提交" not in notice["text"]
        assert notice["payload"]["can_resubmit"] is False
        assert result.as_dict()["can_resubmit"] is False
        assert view(engine, result.case.id)["outcome"]["can_resubmit"] is False

    def test_a_record_not_on_the_national_site_is_pointed_to_commitment_repair(
        self, wf, engine
    ):
        penalty_id = make_record(engine, published_where="city")

        result = instant.apply(wf, penalty_id, INTAKE, [])

        assert [u.code for u in result.unmet] == [
            "not_on_national_site",
            "commitment_letter_missing",
        ]
        notice = told(engine, f"company:{result.case.company_id}")[-1]
        assert notice["text"].endswith(
            "其中第1项无法通过补正解决，本申请不能重新提交：该信息未在“信用中国”"
            "网站公示，可向市信用办申请“先修复后证明”信用承诺修复。"
        )
        assert not result.can_resubmit

    def test_a_record_offline_already_is_not_said_to_come_offline(self, wf, engine):
        penalty_id = national(
            engine, decision_date=date(2025, 3, 1), is_published=False
        )

        result = instant.apply(wf, penalty_id, INTAKE, [LETTER])

        notice = told(engine, f"company:{result.case.company_id}")[-1]
        assert notice["text"].endswith(
            "其中第1、2项无法通过补正解决，本申请不能重新提交：该信息已不在公示，无需办理。"
        )

    def test_only_conditions_the_company_can_meet_invite_a_resubmission(
        self, wf, engine
    ):
        penalty_id = national(engine, decision_date=date(2025, 12, 15))

        result = instant.apply(wf, penalty_id, INTAKE, [])

        notice = told(engine, f"company:{result.case.company_id}")[-1]
        assert notice["text"].endswith("2. 缺少信用修复承诺书。请补齐后重新提交。")
        assert notice["payload"]["can_resubmit"] is True
        assert result.as_dict()["can_resubmit"] is True

    def test_a_resubmission_is_refused_and_changes_nothing(self, wf, engine):
        penalty_id = national(engine, decision_date=date(2025, 3, 1))
        returned = instant.apply(wf, penalty_id, INTAKE, [LETTER])

        with pytest.raises(ResubmissionRefused) as raised:
            instant.resubmit(wf, returned.case.id, INTAKE, [CERTIFICATE])

        assert [u.code for u in raised.value.unmet] == ["past_maximum_period"]
        assert str(raised.value) == (
            f"case {returned.case.id} cannot be resubmitted: no document or "
            "resubmission meets past_maximum_period; withdraw it instead"
        )
        assert raised.value.code == "conditions_unmet"
        shown = view(engine, returned.case.id)
        assert (shown["state"], shown["version"]) == ("returned", 2)
        assert [d["kind"] for d in shown["documents"]] == ["commitment_letter"]
        with pytest.raises(ResubmissionRefused):
            instant.fire_event(wf, returned.case.id, "resubmit", INTAKE)
        withdrawn = instant.fire_event(wf, returned.case.id, "withdraw", INTAKE)
        assert withdrawn.state == "withdrawn"
        assert_log_consistent(engine)

    def test_a_corrected_record_can_be_resubmitted(self, wf, engine):
        penalty_id = national(engine, decision_date=None, published_on=None)
        returned = instant.apply(wf, penalty_id, INTAKE, [LETTER])
        assert not returned.can_resubmit
        table = PenaltyRecord.__table__
        with engine.begin() as conn:
            conn.execute(
                update(table)
                .where(table.c.id == penalty_id)
                .values(decision_date=date(2025, 6, 1))
            )

        result = instant.resubmit(wf, returned.case.id, INTAKE)

        assert result.forwarded
        assert_log_consistent(engine)


class TestUpperLevelAnswer:
    def test_repaired_takes_the_record_offline_through_the_feed(self, wf, engine):
        penalty_id, case_id = forwarded_case(wf, engine)

        case = instant.answer(wf, case_id, "repaired", None, INTAKE)

        assert (case.state, case.version, case.is_open) == ("repaired", 3, False)
        assert not is_published(engine, penalty_id)
        assert feed(engine, penalty_id) == ["taken_down"]
        table = PublicationChange.__table__
        with engine.connect() as conn:
            change = conn.execute(
                select(table).where(table.c.penalty_id == penalty_id)
            ).one()
        assert (
            change.reason == "national repair approved by the province and the nation"
        )
        assert change.stream == f"instant:{case_id}"
        shown = view(engine, case_id)
        assert shown["outcome"]["upper_level"] == "repaired"
        assert [d["status"] for d in shown["deadlines"]] == ["met"]
        company = f"company:{case.company_id}"
        assert told(engine, company)[-1]["kind"] == "upper_level_repaired"
        assert_log_consistent(engine)

    def test_refused_keeps_the_record_published_and_tells_why(self, wf, engine):
        penalty_id, case_id = forwarded_case(wf, engine)

        case = instant.fire_event(
            wf,
            case_id,
            "refuse",
            OFFICE,
            {"reason": "行政处罚未履行完毕", "reference": "国信复〔2026〕3号"},
            expected_version=2,
        )

        assert (case.state, case.is_open) == ("refused", False)
        assert is_published(engine, penalty_id)
        assert feed(engine, penalty_id) == []
        assert view(engine, case_id)["outcome"]["reference"] == "国信复〔2026〕3号"
        notice = told(engine, f"company:{case.company_id}")[-1]
        assert notice["kind"] == "upper_level_refused"
        assert "原因：行政处罚未履行完毕" in notice["text"]
        assert_log_consistent(engine)

    def test_a_refusal_needs_a_reason_and_changes_nothing_without_one(self, wf, engine):
        _penalty_id, case_id = forwarded_case(wf, engine)
        with pytest.raises(InvalidInput) as raised:
            instant.answer(wf, case_id, "refused", "  ", INTAKE)
        assert "reason" in raised.value.problems
        assert view(engine, case_id)["version"] == 2

    def test_an_answer_to_a_returned_case_names_the_allowed_events(self, wf, engine):
        returned = instant.apply(wf, national(engine), INTAKE, [])
        with pytest.raises(TransitionNotAllowed) as raised:
            instant.answer(wf, returned.case.id, "repaired", None, INTAKE)
        assert raised.value.allowed == ["resubmit", "withdraw"]

    def test_the_flag_is_raised_by_the_service_only(self, wf, engine):
        _penalty_id, case_id = forwarded_case(wf, engine)
        with pytest.raises(InvalidInput, match="sent by the service only"):
            instant.fire_event(wf, case_id, "flag_overdue", OFFICE)

    def test_an_unknown_outcome_is_invalid(self, wf, engine):
        _penalty_id, case_id = forwarded_case(wf, engine)
        with pytest.raises(InvalidInput, match="outcome"):
            instant.answer(wf, case_id, "approved", None, INTAKE)


class TestNoAnswer:
    def test_a_late_answer_flags_the_case_for_staff_and_can_still_come(
        self, wf, engine, clock
    ):
        penalty_id, case_id = forwarded_case(wf, engine)
        [deadline] = view(engine, case_id)["deadlines"]

        clock.set(datetime(2026, 3, 9, 15, 59, 59, tzinfo=UTC))
        assert fire_deadline(wf, deadline["id"]) is None
        clock.set(ANSWER_DUE)
        assert fire_deadline(wf, deadline["id"]) == "flag_overdue"
        assert fire_deadline(wf, deadline["id"]) is None

        shown = view(engine, case_id)
        assert (shown["state"], shown["version"]) == ("forwarded", 3)
        assert shown["escalated_at"] == ANSWER_DUE
        [flag] = told(engine, "office")
        assert flag["kind"] == "upper_level_overdue"
        assert "截至2026-03-09 24:00仍未收到答复" in flag["text"]

        clock.advance(days=1)
        instant.answer(wf, case_id, "repaired", None, INTAKE)
        assert not is_published(engine, penalty_id)
        assert_log_consistent(engine)

    def test_an_answer_in_time_settles_the_deadline(self, wf, engine, clock):
        _penalty_id, case_id = forwarded_case(wf, engine)
        [deadline] = view(engine, case_id)["deadlines"]
        instant.answer(wf, case_id, "refused", "不符合修复条件", INTAKE)

        clock.set(ANSWER_DUE)
        assert fire_deadline(wf, deadline["id"]) is None
        assert told(engine, "office") == []
        assert_log_consistent(engine)


class TestGuards:
    def test_a_record_with_an_open_case_cannot_get_another(self, wf, engine):
        penalty_id = national(engine)
        commitment.submit(wf, penalty_id, "website", INTAKE)
        with pytest.raises(Conflict, match="already has an open case"):
            instant.apply(wf, penalty_id, INTAKE, [LETTER])

    def test_a_department_cannot_apply(self, wf, engine):
        penalty_id = national(engine)
        with pytest.raises(Forbidden):
            instant.apply(wf, penalty_id, Actor("李强", "department", "X"), [LETTER])

    def test_an_email_keeps_its_receipt_time(self, wf, engine):
        arrived = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
        result = instant.apply(
            wf, national(engine), INTAKE, [LETTER], arrived, channel="email"
        )
        assert view(engine, result.case.id)["received_at"] == arrived
