"""Instant national repair (0工作日) through HTTP, on SQLite and PostgreSQL: the
preliminary review comes back in the filing response, the upper level's answer
arrives as an event, a returned case is resubmitted with what was missing."""

from datetime import date

import pytest

from tests.api.conftest import CERTIFICATE, LETTER, REPORT, encoded
from tests.checks import assert_log_consistent, feed, is_published, notices
from tests.factories import company_of, make_record

pytestmark = pytest.mark.storage


def apply(caller, penalty_id, *documents):
    body = {
        "procedure": "instant",
        "penalty_id": penalty_id,
        "channel": "website",
        "documents": [encoded(*d) for d in documents],
    }
    return caller.post("/api/v1/cases", json=body)


def event(caller, case_id, name, **inputs):
    return caller.post(f"/api/v1/cases/{case_id}/events/{name}", json=inputs)


def national(engine, **fields) -> int:
    return make_record(engine, published_where="national", **fields)


def forwarded(engine, intake) -> tuple[int, int]:
    penalty_id = national(engine)
    response = apply(intake, penalty_id, LETTER)
    assert response.json()["state"] == "forwarded", response.text
    return penalty_id, response.json()["id"]


class TestFiling:
    def test_an_eligible_application_is_forwarded_in_the_same_response(
        self, engine, intake
    ):
        penalty_id = national(engine)

        response = apply(intake, penalty_id, LETTER)

        assert response.status_code == 201, response.text
        case = response.json()
        assert (case["procedure"], case["state"], case["version"]) == (
            "instant",
            "forwarded",
            2,
        )
        assert case["review"] == {
            "case_id": case["id"],
            "state": "forwarded",
            "state_label": case["state_label"],
            "version": 2,
            "forwarded": True,
            "can_resubmit": False,
            "unmet": [],
        }
        assert case["allowed_events"] == ["refuse", "repair"]
        assert case["service_events"] == ["flag_overdue"]
        assert [d["kind"] for d in case["deadlines"]] == ["upper_level_answer"]
        assert case["outcome"]["review"] == "forwarded"
        assert notices(engine, "upper_level") == ["upper_level_review"]
        assert_log_consistent(engine)

    def test_an_ineligible_application_is_returned_with_every_unmet_condition(
        self, engine, intake
    ):
        penalty_id = make_record(
            engine,
            penalty_class="specific_severe",
            decision_date=None,
            published_on=None,
            is_published=False,
        )

        response = apply(intake, penalty_id)

        assert response.status_code == 201, response.text
        case = response.json()
        assert (case["state"], case["state_label"], case["is_open"]) == (
            "returned",
            "已退回补正",
            True,
        )
        review = case["review"]
        assert (review["forwarded"], review["can_resubmit"]) == (False, False)
        assert [u["code"] for u in review["unmet"]] == [
            "not_published",
            "not_on_national_site",
            "specific_severe",
            "period_start_unknown",
            "commitment_letter_missing",
            "training_certificate_missing",
            "credit_report_missing",
        ]
        assert review["unmet"][4]["message_zh"]
        company = f"company:{company_of(engine, penalty_id)}"
        assert notices(engine, company) == ["one_time_notice"]
        assert_log_consistent(engine)

    def test_a_resubmission_no_document_can_help_is_refused(self, engine, intake):
        penalty_id = national(engine, decision_date=date(2025, 3, 1))
        returned = apply(intake, penalty_id, LETTER).json()
        assert returned["review"]["can_resubmit"] is False

        response = event(intake, returned["id"], "resubmit", expected_version=2)

        assert response.status_code == 422, response.text
        answer = response.json()
        assert answer["error"] == "conditions_unmet"
        assert "cannot be resubmitted" in answer["message"]
        assert [u["code"] for u in answer["unmet"]] == ["past_maximum_period"]
        assert_log_consistent(engine)

    def test_a_commitment_filing_has_no_review(self, engine, intake):
        body = {"procedure": "commitment", "penalty_id": make_record(engine)}
        response = intake.post("/api/v1/cases", json=body | {"channel": "email"})
        assert (response.status_code, response.json()["review"]) == (201, None)


class TestUpperLevelAnswer:
    def test_repaired_takes_the_record_offline(self, engine, intake, office):
        penalty_id, case_id = forwarded(engine, intake)

        response = event(
            office, case_id, "repair", reference="国信复〔2026〕1号", expected_version=2
        )

        assert response.status_code == 200, response.text
        case = response.json()
        assert (case["state"], case["is_open"], case["version"]) == (
            "repaired",
            False,
            3,
        )
        assert case["outcome"]["upper_level"] == "repaired"
        assert case["outcome"]["reference"] == "国信复〔2026〕1号"
        assert not is_published(engine, penalty_id)
        assert feed(engine, penalty_id) == ["taken_down"]
        assert_log_consistent(engine)

    def test_refused_needs_a_reason_and_keeps_the_record(self, engine, intake, office):
        penalty_id, case_id = forwarded(engine, intake)

        without = event(office, case_id, "refuse")
        response = event(office, case_id, "refuse", reason="行政处罚未履行完毕")

        assert without.status_code == 422
        assert without.json()["problems"] == {
            "reason": "required: why the upper level refused"
        }
        assert response.status_code == 200, response.text
        assert response.json()["state"] == "refused"
        assert response.json()["outcome"]["reason"] == "行政处罚未履行完毕"
        assert is_published(engine, penalty_id)
        assert_log_consistent(engine)

    def test_a_department_may_not_answer_for_the_upper_level(
        self, engine, intake, department_of
    ):
        penalty_id, case_id = forwarded(engine, intake)
        response = event(department_of(penalty_id), case_id, "repair")
        assert (response.status_code, response.json()["error"]) == (403, "forbidden")


class TestResubmission:
    def test_resubmitting_with_the_missing_documents_forwards(self, engine, intake):
        penalty_id = national(engine, penalty_class="severe")
        returned = apply(intake, penalty_id, LETTER).json()
        assert [u["code"] for u in returned["review"]["unmet"]] == [
            "training_certificate_missing",
            "credit_report_missing",
        ]

        response = event(
            intake,
            returned["id"],
            "resubmit",
            expected_version=2,
            documents=[encoded(*CERTIFICATE), encoded(*REPORT)],
        )

        assert response.status_code == 200, response.text
        case = response.json()
        assert (case["state"], case["version"]) == ("forwarded", 4)
        assert case["review"]["forwarded"] is True
        assert [d["kind"] for d in case["documents"]] == [
            "commitment_letter",
            "training_certificate",
            "credit_report",
        ]
        assert_log_consistent(engine)

    def test_an_uploaded_document_is_the_resubmission(self, engine, intake):
        returned = apply(intake, national(engine)).json()
        url = f"/api/v1/cases/{returned['id']}/documents"

        response = intake.post(
            url,
            data={"kind": "commitment_letter", "expected_version": "2"},
            files={"file": ("承诺书.pdf", LETTER[2], "application/pdf")},
        )

        assert response.status_code == 200, response.text
        assert response.json()["state"] == "forwarded"
        assert response.json()["review"]["unmet"] == []
        again = intake.post(
            url,
            data={"kind": "credit_report"},
            files={"file": ("报告.pdf", REPORT[2], "application/pdf")},
        )
        assert again.status_code == 409
        assert again.json()["error"] == "transition_not_allowed"
        assert_log_consistent(engine)

    def test_only_resubmit_takes_documents(self, engine, intake, office):
        _penalty_id, case_id = forwarded(engine, intake)
        response = event(office, case_id, "repair", documents=[encoded(*LETTER)])
        assert response.status_code == 422
        assert "documents" in response.json()["problems"]

    def test_a_returned_case_can_be_withdrawn(self, engine, intake):
        returned = apply(intake, national(engine)).json()
        response = event(intake, returned["id"], "withdraw", reason="改用承诺修复")
        assert (response.json()["state"], response.json()["is_open"]) == (
            "withdrawn",
            False,
        )
        assert_log_consistent(engine)
