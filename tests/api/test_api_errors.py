"""Every error has the same JSON shape and the status of the one error table;
bad input of any kind is a 422 naming the field, never a 500."""

import pytest
from fastapi import APIRouter

from credit_repair.workflow.eligibility import UnmetCondition
from credit_repair.workflow.errors import ConditionsUnmet
from tests.api.conftest import LETTER, encoded
from tests.checks import assert_log_consistent
from tests.factories import make_record

pytestmark = pytest.mark.storage


def file_case(caller, penalty_id, **fields):
    body = {"procedure": "commitment", "penalty_id": penalty_id, "channel": "website"}
    return caller.post("/api/v1/cases", json=body | fields)


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
        assert body["allowed_events"] == ["review", "submit_proof", "withdraw"]
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


BAD_CASES = [
    ({"penalty_id": "abc"}, "penalty_id"),
    ({"penalty_id": 10**30}, "penalty_id"),
    ({"penalty_id": -1}, "penalty_id"),
    ({"channel": "fax"}, "channel"),
    ({"procedure": "lottery"}, "procedure"),
    ({"received_at": "2026-03-01T10:00:00"}, "received_at"),
    ({"received_at": "yesterday"}, "received_at"),
    ({"colour": "blue"}, "colour"),
    (
        {
            "documents": [
                {"kind": "commitment_letter", "name": "a", "content_base64": "!"}
            ]
        },
        "documents.0.content_base64",
    ),
    (
        {"documents": [{"kind": "selfie", "name": "a", "content_base64": "YQ=="}]},
        "documents.0.kind",
    ),
]


class TestInvalidInput:
    @pytest.mark.parametrize(("change", "field"), BAD_CASES)
    def test_bad_fields_are_422_naming_the_field(self, engine, intake, change, field):
        body = {"procedure": "commitment", "penalty_id": 1, "channel": "website"}

        response = intake.post("/api/v1/cases", json=body | change)

        assert response.status_code == 422, response.text
        assert response.json()["error"] == "invalid_input"
        assert field in response.json()["problems"]

    def test_missing_fields_are_each_named(self, intake):
        response = intake.post("/api/v1/cases", json={})

        assert set(response.json()["problems"]) == {
            "procedure",
            "penalty_id",
            "channel",
        }

    @pytest.mark.parametrize(
        "raw", [b"{", b"not json", b'{"penalty_id": 1,}', b"\xff\xfe", b"[1, 2]"]
    )
    def test_malformed_json_is_422(self, intake, raw):
        response = intake.post(
            "/api/v1/cases",
            content=raw,
            headers={"Content-Type": "application/json"},
        )

        assert response.status_code == 422
        assert response.json()["error"] == "invalid_input"

    def test_a_future_receipt_is_refused_by_the_use_case(self, engine, intake):
        response = file_case(
            intake,
            make_record(engine),
            channel="email",
            received_at="2026-03-09T00:00:00+08:00",
        )

        assert response.status_code == 422
        assert "is in the future" in response.json()["problems"]["received_at"]

    def test_confirm_needs_a_true_or_false(self, engine, intake, office, department_of):
        penalty_id = make_record(engine)
        case_id = file_case(intake, penalty_id, documents=[encoded(*LETTER)])
        case_id = case_id.json()["id"]
        for name in ("review", "request_confirmation"):
            office.post(f"/api/v1/cases/{case_id}/events/{name}")
        department = department_of(penalty_id)

        as_text = department.post(
            f"/api/v1/cases/{case_id}/events/confirm", json={"fulfilled": "yes"}
        )
        missing = department.post(f"/api/v1/cases/{case_id}/events/confirm")

        assert as_text.status_code == 422
        assert "fulfilled" in as_text.json()["problems"]
        assert missing.status_code == 422
        assert missing.json()["problems"] == {"fulfilled": "required: true or false"}

    @pytest.mark.parametrize(
        "path",
        [
            "/api/v1/cases/99999999999999999999",
            "/api/v1/cases/0",
            "/api/v1/cases?limit=0",
            "/api/v1/cases?limit=100000",
            "/api/v1/cases?offset=-1",
            "/api/v1/cases?state=%00",
            "/api/v1/cases?department=a%20b",
            "/api/v1/penalties?company_name=%00x",
            "/api/v1/penalties?uscc=123",
        ],
    )
    def test_bad_paths_and_queries_are_422(self, office, path):
        response = office.get(path)

        assert response.status_code == 422, response.text

    def test_a_nul_character_in_text_is_refused(self, intake):
        response = intake.post(
            "/api/v1/cases",
            json={
                "procedure": "commitment",
                "penalty_id": 1,
                "channel": "website",
                "documents": [
                    {
                        "kind": "commitment_letter",
                        "name": "a\x00b",
                        "content_base64": "",
                    }
                ],
            },
        )

        assert response.status_code == 422
        assert "documents.0.name" in response.json()["problems"]


class TestOversizedUpload:
    def test_a_body_over_the_limit_is_413(self, engine, intake):
        penalty_id = make_record(engine)
        case = file_case(intake, penalty_id).json()

        response = intake.post(
            f"/api/v1/cases/{case['id']}/documents",
            data={"kind": "credit_report"},
            files={"file": ("big.pdf", b"x" * (65 * 1024), "application/pdf")},
        )

        assert response.status_code == 413
        assert response.json()["error"] == "payload_too_large"
        assert len(intake.get(f"/api/v1/cases/{case['id']}").json()["documents"]) == 0


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


@pytest.mark.parametrize(
    "start", ["0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"]
)
def test_instants_at_the_ends_of_time_are_422(office, start):
    response = office.get(
        "/api/v1/calendar/deadline", params={"start": start, "working_days": 1}
    )

    assert response.status_code == 422
    assert "start" in response.json()["problems"]
