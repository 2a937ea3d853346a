"""Cases through HTTP: filing, events, documents, history and lists, on SQLite and
PostgreSQL; the audit log names the token holder who acted."""

from datetime import UTC, datetime

import pytest

from tests.api.conftest import CERTIFICATE, LETTER, REPORT, encoded
from tests.checks import assert_log_consistent, feed
from tests.factories import department_code, make_record

pytestmark = pytest.mark.storage


def file_case(intake, penalty_id, *documents, **fields):
    body = {
        "procedure": "commitment",
        "penalty_id": penalty_id,
        "channel": "website",
        "documents": [encoded(*d) for d in documents],
        **fields,
    }
    response = intake.post("/api/v1/cases", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def event(caller, case_id, name, **inputs):
    return caller.post(f"/api/v1/cases/{case_id}/events/{name}", json=inputs)


def taken_down(engine, intake, office, penalty_class="general", documents=(LETTER,)):
    penalty_id = make_record(engine, penalty_class=penalty_class)
    case = file_case(intake, penalty_id, *documents)
    assert event(office, case["id"], "review").json()["state"] == "taken_down"
    assert event(office, case["id"], "request_confirmation").status_code == 200
    return penalty_id, case["id"]


class TestFiling:
    def test_a_filed_case_comes_back_with_everything_staff_need(self, engine, intake):
        penalty_id = make_record(engine)

        case = file_case(intake, penalty_id, LETTER)

        assert case["procedure"] == "commitment"
        assert (case["state"], case["state_label"], case["version"]) == (
            "submitted",
            "已提交承诺书",
            1,
        )
        assert case["allowed_events"] == ["review", "withdraw"]
        assert case["service_events"] == ["submit_proof"]
        assert [d["kind"] for d in case["documents"]] == ["commitment_letter"]
        assert case["documents"][0]["size"] == len(LETTER[2])
        assert case["penalty"]["id"] == penalty_id
        assert case["penalty"]["department_code"] == department_code(engine, penalty_id)
        assert case["company"]["name"].startswith("昆明测试有限公司")
        assert case["deadlines"] == []
        assert case["received_at"] == "2026-03-02T01:00:00Z"

    def test_an_email_keeps_its_receipt_time(self, engine, intake):
        penalty_id = make_record(engine)
        arrived = "2026-02-27T23:30:00+08:00"

        case = file_case(intake, penalty_id, channel="email", received_at=arrived)

        assert case["received_at"] == "2026-02-27T15:30:00Z"

    def test_the_office_may_file_too(self, engine, office):
        case = file_case(office, make_record(engine))
        assert case["state"] == "submitted"


class TestLifecycle:
    def test_a_general_case_takes_effect_when_the_department_confirms(
        self, engine, intake, office, department_of
    ):
        penalty_id, case_id = taken_down(engine, intake, office)

        response = event(department_of(penalty_id), case_id, "confirm", fulfilled=True)

        assert response.status_code == 200
        case = response.json()
        assert (case["state"], case["state_label"], case["version"]) == (
            "effective",
            "修复生效",
            4,
        )
        assert case["allowed_events"] == []
        assert {d["kind"]: d["status"] for d in case["deadlines"]} == {
            "request_confirmation": "met",
            "department_answer": "met",
        }
        assert feed(engine, penalty_id) == ["taken_down"]
        assert_log_consistent(engine)

    def test_the_class_a_department_confirms_is_the_records_class_from_then_on(
        self, engine, intake, office, department_of
    ):
        penalty_id, case_id = taken_down(engine, intake, office)

        response = event(
            department_of(penalty_id),
            case_id,
            "confirm",
            fulfilled=True,
            penalty_class="severe",
        )
        assert response.json()["state"] == "awaiting_training_proof"

        shown = office.get(f"/api/v1/penalties/{penalty_id}").json()
        assert shown["penalty_class"] == "severe"
        assert f"在信用修复案件{case_id}中确认" in shown["class_reason"]
        assert_log_consistent(engine)

    def test_each_audit_row_names_the_token_holder_who_acted(
        self, engine, intake, office, department_of
    ):
        penalty_id, case_id = taken_down(engine, intake, office)
        event(department_of(penalty_id), case_id, "confirm", fulfilled=True)

        history = office.get(f"/api/v1/cases/{case_id}/history").json()

        assert [(r["event"], r["actor"], r["actor_role"]) for r in history] == [
            ("submit", "portal (intake)", "intake"),
            ("review", "王芳 (office)", "office"),
            ("request_confirmation", "王芳 (office)", "office"),
            ("confirm", "李强 (department)", "department"),
        ]
        assert [r["stream_seq"] for r in history] == [1, 2, 3, 4]
        assert history[-1]["payload"]["fulfilled"] is True
        assert_log_consistent(engine)

    def test_training_proof_uploaded_as_files_completes_a_severe_case(
        self, engine, intake, office, department_of
    ):
        penalty_id, case_id = taken_down(engine, intake, office, "severe")
        confirmed = event(department_of(penalty_id), case_id, "confirm", fulfilled=True)
        assert confirmed.json()["state"] == "awaiting_training_proof"

        for kind, name, content in (CERTIFICATE, REPORT):
            response = intake.post(
                f"/api/v1/cases/{case_id}/documents",
                data={"kind": kind},
                files={"file": (name, content, "application/pdf")},
            )
            assert response.status_code == 200, response.text

        case = response.json()
        assert case["state"] == "effective"
        assert [d["kind"] for d in case["documents"]] == [
            "commitment_letter",
            "training_certificate",
            "credit_report",
        ]
        assert case["documents"][2]["name"] == "信用修复报告.pdf"
        assert_log_consistent(engine)

    def test_a_review_without_the_letter_rejects_with_every_unmet_condition(
        self, engine, intake, office
    ):
        penalty_id = make_record(engine, penalty_class="specific_severe")
        case = file_case(intake, penalty_id)

        reviewed = event(office, case["id"], "review")

        assert reviewed.json()["state"] == "rejected"
        history = office.get(f"/api/v1/cases/{case['id']}/history").json()
        codes = [u["code"] for u in history[-1]["payload"]["unmet"]]
        assert sorted(codes) == ["commitment_letter_missing", "specific_severe"]
        assert_log_consistent(engine)

    def test_the_rejecting_answer_itself_names_every_unmet_condition(
        self, engine, intake, office
    ):
        case = file_case(intake, make_record(engine, penalty_class="specific_severe"))

        answer = event(office, case["id"], "review").json()

        assert answer["outcome"]["review"] == "rejected"
        unmet = answer["outcome"]["unmet"]
        assert [u["code"] for u in unmet] == [
            "specific_severe",
            "commitment_letter_missing",
        ]
        assert all(u["message_zh"] and u["message_en"] for u in unmet)
        shown = office.get(f"/api/v1/cases/{case['id']}").json()
        assert shown["outcome"] == answer["outcome"]
        assert_log_consistent(engine)

    def test_intake_may_withdraw_and_the_record_is_published_again(
        self, engine, intake, office
    ):
        penalty_id, case_id = taken_down(engine, intake, office)

        response = event(intake, case_id, "withdraw", reason="公司撤回申请")

        assert response.json()["state"] == "withdrawn"
        assert feed(engine, penalty_id) == ["taken_down", "relisted"]
        history = office.get(f"/api/v1/cases/{case_id}/history").json()
        assert history[-1]["payload"]["reason"] == "公司撤回申请"
        assert_log_consistent(engine)

    def test_an_expected_version_that_matches_is_accepted(self, engine, intake, office):
        case = file_case(intake, make_record(engine), LETTER)

        response = event(office, case["id"], "review", expected_version=1)

        assert response.json()["version"] == 2
        assert_log_consistent(engine)


class TestLists:
    def test_filters_by_state_and_pages_newest_first(self, engine, intake, office):
        ids = [file_case(intake, make_record(engine), LETTER)["id"] for _ in range(3)]
        event(office, ids[0], "review")

        submitted = office.get(
            "/api/v1/cases", params={"state": "submitted", "limit": 1}
        ).json()
        assert (submitted["total"], submitted["limit"], submitted["offset"]) == (
            2,
            1,
            0,
        )
        assert [c["id"] for c in submitted["items"]] == [ids[2]]
        second = office.get(
            "/api/v1/cases", params={"state": "submitted", "limit": 1, "offset": 1}
        ).json()
        assert [c["id"] for c in second["items"]] == [ids[1]]
        taken = office.get("/api/v1/cases", params={"state": "taken_down"}).json()
        assert [(c["id"], c["state_label"]) for c in taken["items"]] == [
            (ids[0], "已下线")
        ]
        assert taken["items"][0]["next_due_at"] is not None

    @pytest.mark.parametrize(
        ("params", "field", "accepted"),
        [
            ({"state": "bogus"}, "state", "'submitted', 'taken_down' or 'withdrawn'"),
            ({"procedure": "batch"}, "procedure", "'commitment' or 'instant'"),
        ],
    )
    def test_an_unknown_filter_value_is_422_naming_the_accepted_ones(
        self, office, params, field, accepted
    ):
        response = office.get("/api/v1/cases", params=params)

        assert response.status_code == 422
        [(named, problem)] = response.json()["problems"].items()
        assert named == field
        assert problem.startswith("Input should be ")
        assert problem.endswith(accepted)
        for state in ("awaiting_confirmation", "forwarded", "returned"):
            assert field != "state" or f"'{state}'" in problem

    def test_a_department_sees_only_its_own_cases(self, engine, intake, department_of):
        mine = make_record(engine)
        file_case(intake, mine)
        file_case(intake, make_record(engine))
        department = department_of(mine)

        listed = department.get("/api/v1/cases").json()

        assert [c["penalty_id"] for c in listed["items"]] == [mine]
        other = department.get("/api/v1/cases", params={"department": "D999"})
        assert other.status_code == 403

    def test_overdue_lists_cases_whose_deadline_passed(
        self, engine, intake, office, clock
    ):
        _late_penalty, late = taken_down(engine, intake, office)
        on_time = file_case(intake, make_record(engine), LETTER)["id"]
        # requested Mon 2026-03-02; the department's answer is due Tue 24:00
        clock.set(datetime(2026, 3, 3, 16, 0, tzinfo=UTC))

        overdue = office.get("/api/v1/cases", params={"overdue": "true"}).json()
        not_overdue = office.get("/api/v1/cases", params={"overdue": "false"}).json()

        assert [c["id"] for c in overdue["items"]] == [late]
        assert [c["id"] for c in not_overdue["items"]] == [on_time]

    def test_filters_by_record_and_department(self, engine, intake, office):
        first = make_record(engine)
        case = file_case(intake, first)
        file_case(intake, make_record(engine))
        code = department_code(engine, first)

        by_record = office.get("/api/v1/cases", params={"penalty_id": first}).json()
        by_department = office.get("/api/v1/cases", params={"department": code})

        assert [c["id"] for c in by_record["items"]] == [case["id"]]
        assert [c["id"] for c in by_department.json()["items"]] == [case["id"]]
