"""Bad input of any shape is a 422 naming each field (or 413 when too large), never
a 500: wrong types, huge numbers, naive instants, malformed JSON, control
characters."""

import pytest

from tests.api.conftest import LETTER, encoded, file_case
from tests.factories import make_record

pytestmark = pytest.mark.storage


BAD_CASES = [
    ({"penalty_id": "abc"}, "penalty_id"),
    ({"penalty_id": True}, "penalty_id"),
    ({"penalty_id": "1"}, "penalty_id"),
    ({"penalty_id": 1.0}, "penalty_id"),
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

    @pytest.mark.parametrize(
        "path",
        ["/api/v1/cases", "/api/v1/penalties", "/api/v1/batches/1/confirmations"],
    )
    def test_a_body_that_is_not_utf8_is_422_saying_so(self, office, path):
        body = '{"procedure": "commitment", "channel": "网站"}'.encode("gbk")

        response = office.post(
            path, content=body, headers={"Content-Type": "application/json"}
        )

        assert response.status_code == 422, response.text
        problem = response.json()["problems"]["body"]
        assert problem.startswith("encoding: must be UTF-8, but byte 0x")

    def test_json_nested_too_deeply_is_422_naming_the_body(self, intake):
        response = intake.post(
            "/api/v1/cases",
            content=b"[" * 10_000 + b"]" * 10_000,
            headers={"Content-Type": "application/json"},
        )

        assert response.status_code == 422
        assert response.json()["problems"] == {
            "body": "malformed JSON: nested too deeply to be read"
        }

    @pytest.mark.parametrize(
        ("path", "fields"),
        [
            ("/api/v1/cases/{id}/documents", "kind, file, expected_version"),
            ("/api/v1/penalties/import", "file, layout, dry_run"),
        ],
    )
    def test_json_sent_to_a_form_route_is_told_it_takes_a_form(
        self, engine, intake, path, fields
    ):
        case = file_case(intake, make_record(engine)).json()

        response = intake.post(
            path.format(id=case["id"]), json={"kind": "credit_report", "file": "x"}
        )

        assert response.status_code == 422
        assert response.json()["problems"] == {
            "body": f"this route takes multipart/form-data with the fields {fields}, "
            "not application/json"
        }

    @pytest.mark.parametrize(
        ("path", "body", "field"),
        [
            ("/cases/{id}/events/withdraw", {"expected_version": "1"}, ""),
            ("/cases/{id}/events/withdraw", {"expected_version": True}, ""),
            ("/batches/1/cancel", {"reason": "x", "expected_version": "1"}, ""),
            (
                "/batches/1/objections",
                {"item_id": True, "by": "a", "reason": "b"},
                "item_id",
            ),
            (
                "/batches/1/confirmations",
                [{"item_id": "7", "fulfilled": True}],
                "0.item_id",
            ),
        ],
    )
    def test_ids_and_versions_in_json_are_numbers_only(
        self, engine, office, path, body, field
    ):
        case = file_case(office, make_record(engine)).json()

        response = office.post(f"/api/v1{path}".format(id=case["id"]), json=body)

        assert response.status_code == 422, response.text
        assert list(response.json()["problems"]) == [field or "expected_version"]
        assert "integer" in response.json()["message"]

    def test_a_future_receipt_is_refused_by_the_use_case(self, engine, intake):
        response = file_case(
            intake,
            make_record(engine),
            channel="email",
            received_at="2026-03-09T00:00:00+08:00",
        )

        assert response.status_code == 422
        assert "is in the future" in response.json()["problems"]["received_at"]

    def test_a_website_application_cannot_say_when_it_arrived(self, engine, intake):
        response = file_case(
            intake,
            make_record(engine),
            channel="website",
            received_at="2026-02-01T09:00:00+08:00",
        )

        assert response.status_code == 422
        assert "received when it arrives" in response.json()["problems"]["received_at"]

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


@pytest.mark.parametrize(
    "start", ["0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"]
)
def test_instants_at_the_ends_of_time_are_422(office, start):
    response = office.get(
        "/api/v1/calendar/deadline", params={"start": start, "working_days": 1}
    )

    assert response.status_code == 422
    assert "start" in response.json()["problems"]
