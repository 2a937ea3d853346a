"""Every error has the same JSON shape and the status of the one error table:
401 without a valid token, 403 for a wrong role or department, 404, 405, 409
with the allowed events or the versions, 422 listing every unmet condition."""

import pytest
from fastapi import APIRouter

from credit_repair.workflow.eligibility import UnmetCondition
from credit_repair.workflow.errors import ConditionsUnmet
from tests.api.conftest import LETTER, encoded, file_case
from tests.checks import assert_log_consistent
from tests.factories import make_record

pytestmark = pytest.mark.storage


class TestUnauthorized:
    @pytest.mark.parametrize(
        "authorization",
        [None, "Basic d2FuZzpmYW5n", "Bearer ", "Bearer crt_not-a-real-token"],
    )
    def test_no_or_bad_token_is_401(self, client, authorization):
        headers = {"Authorization": authorization} if authorization else {}

        response = client.get("/api/v1/cases", headers=headers)

        assert response.status_code == 401
        assert response.json()["error"] == "unauthorized"
        assert response.headers["WWW-Authenticate"] == "Bearer"

    def test_a_revoked_token_stops_working(self, office, engine, clock):
        from credit_repair.persistence.tokens import list_tokens, revoke_token

        assert office.get("/api/v1/cases").status_code == 200
        [token] = list_tokens(engine)
        revoke_token(engine, token.id, clock.now())

        assert office.get("/api/v1/cases").status_code == 401


class TestForbidden:
    def test_an_auditor_may_not_file(self, engine, auditor):
        response = file_case(auditor, make_record(engine))

        assert response.status_code == 403
        assert response.json()["error"] == "forbidden"
        assert "office or intake" in response.json()["message"]

    def test_a_department_may_not_touch_another_departments_case(
        self, engine, intake, caller
    ):
        case = file_case(intake, make_record(engine)).json()
        stranger = caller("department", "OTHER", "张三")

        confirm = stranger.post(
            f"/api/v1/cases/{case['id']}/events/confirm", json={"fulfilled": True}
        )
        read = stranger.get(f"/api/v1/cases/{case['id']}")

        assert (confirm.status_code, read.status_code) == (403, 403)
        assert "belongs to department" in confirm.json()["message"]

    def test_intake_may_not_review_and_a_department_may_not_withdraw(
        self, engine, intake, department_of
    ):
        penalty_id = make_record(engine)
        case = file_case(intake, penalty_id).json()

        review = intake.post(f"/api/v1/cases/{case['id']}/events/review")
        withdraw = department_of(penalty_id).post(
            f"/api/v1/cases/{case['id']}/events/withdraw"
        )

        assert (review.status_code, withdraw.status_code) == (403, 403)
        assert "needs role office" in review.json()["message"]


class TestNotFound:
    @pytest.mark.parametrize(
        "path",
        [
            "/api/v1/cases/999",
            "/api/v1/cases/999/history",
            "/api/v1/penalties/999",
            "/api/v1/machines/nonesuch/diagram",
            "/api/v1/nothing-here",
        ],
    )
    def test_unknown_things_are_404(self, office, path):
        response = office.get(path)

        assert response.status_code == 404
        assert response.json()["error"] == "not_found"

    def test_events_on_an_unknown_case_are_404(self, office):
        response = office.post("/api/v1/cases/999/events/review")
        assert response.status_code == 404


class TestConflicts:
    def test_an_event_the_state_refuses_lists_the_allowed_events(
        self, engine, intake, office
    ):
        case = file_case(intake, make_record(engine)).json()

        response = office.post(
            f"/api/v1/cases/{case['id']}/events/confirm", json={"fulfilled": True}
        )

        assert response.status_code == 409
        body = response.json()
        assert body["error"] == "transition_not_allowed"
        assert body["allowed_events"] == ["review", "withdraw"]
        assert (body["state"], body["event"]) == ("submitted", "confirm")

    def test_a_stale_version_is_refused_and_changes_nothing(
        self, engine, intake, office
    ):
        case = file_case(intake, make_record(engine), documents=[encoded(*LETTER)])
        case_id = case.json()["id"]
        office.post(f"/api/v1/cases/{case_id}/events/review")

        response = intake.post(
            f"/api/v1/cases/{case_id}/events/withdraw", json={"expected_version": 1}
        )

        assert response.status_code == 409
        body = response.json()
        assert body["error"] == "version_conflict"
        assert (body["expected_version"], body["actual_version"]) == (1, 2)
        assert office.get(f"/api/v1/cases/{case_id}").json()["state"] == "taken_down"
        assert_log_consistent(engine)

    def test_a_second_open_case_for_a_record_is_a_conflict(self, engine, intake):
        penalty_id = make_record(engine)
        file_case(intake, penalty_id)

        response = file_case(intake, penalty_id)

        assert response.status_code == 409
        assert response.json()["error"] == "conflict"
        assert "already has an open case" in response.json()["message"]


class TestEvents:
    """What a caller may send is told apart from what the service sends."""

    @pytest.fixture
    def taken_down(self, engine, intake, office) -> int:
        case = file_case(intake, make_record(engine), documents=[encoded(*LETTER)])
        case_id = case.json()["id"]
        assert office.post(f"/api/v1/cases/{case_id}/events/review").status_code == 200
        return case_id

    def test_a_case_lists_the_events_of_callers_and_of_the_service_apart(
        self, office, taken_down
    ):
        case = office.get(f"/api/v1/cases/{taken_down}").json()

        assert case["allowed_events"] == ["request_confirmation", "withdraw"]
        assert case["service_events"] == ["escalate", "expire_proof", "submit_proof"]

    def test_an_event_the_machine_does_not_have_is_422_listing_its_events(
        self, office, taken_down
    ):
        response = office.post(f"/api/v1/cases/{taken_down}/events/frobnicate")

        assert response.status_code == 422
        assert response.json()["problems"] == {
            "event": "'frobnicate' is not an event of commitment cases; callers "
            "send confirm, request_confirmation, review, withdraw, the service "
            "sends escalate, expire_proof, submit_proof"
        }

    @pytest.mark.parametrize("event", ["escalate", "expire_proof", "review"])
    def test_a_service_event_is_422_in_any_state_a_refused_one_409(
        self, office, taken_down, event
    ):
        response = office.post(f"/api/v1/cases/{taken_down}/events/{event}")

        if event == "review":  # a caller's event, not in this state
            assert response.status_code == 409
            assert response.json()["allowed_events"] == [
                "request_confirmation",
                "withdraw",
            ]
        else:
            assert response.status_code == 422
            how = "is sent by the service only"
            if event == "expire_proof":
                how += (
                    ", or by the office once a provisional training-proof "
                    "deadline has passed and escalated"
                )
            assert response.json()["problems"] == {"event": f"'{event}' {how}"}


class TestConditionsUnmet:
    def test_every_unmet_condition_is_listed(self, app, office):
        unmet = [
            UnmetCondition("not_published", "未公示", "not published"),
            UnmetCondition("minimum_period_not_reached", "未满", "too early", {"m": 3}),
        ]
        router = APIRouter()

        @router.get("/api/v1/test-only/unmet")
        def refuse():
            raise ConditionsUnmet("penalty record 1", unmet)

        app.include_router(router)

        response = office.get("/api/v1/test-only/unmet")

        assert response.status_code == 422
        body = response.json()
        assert body["error"] == "conditions_unmet"
        assert body["unmet"] == [
            {
                "code": "not_published",
                "message_zh": "未公示",
                "message_en": "not published",
                "detail": {},
            },
            {
                "code": "minimum_period_not_reached",
                "message_zh": "未满",
                "message_en": "too early",
                "detail": {"m": 3},
            },
        ]


def test_a_wrong_method_is_405(office):
    response = office.get("/api/v1/cases/1/events/review")

    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
