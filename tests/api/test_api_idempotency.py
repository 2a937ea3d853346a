"""Retried POSTs with an ``Idempotency-Key`` get the first answer and change
nothing; the same key with another request is refused."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from credit_repair.api.idempotency import ABANDONED_AFTER, request_hash
from credit_repair.persistence.idempotency import reserve_key
from credit_repair.persistence.tables import AuditEntry, Case
from credit_repair.persistence.tokens import list_tokens
from tests.api.conftest import LETTER, encoded
from tests.checks import assert_log_consistent
from tests.factories import make_record

pytestmark = pytest.mark.storage


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def filing(penalty_id):
    return {
        "procedure": "commitment",
        "penalty_id": penalty_id,
        "channel": "website",
        "documents": [encoded(*LETTER)],
    }


class TestRetries:
    def test_a_retried_filing_returns_the_first_answer_and_files_once(
        self, engine, intake
    ):
        body = filing(make_record(engine))
        key = {"Idempotency-Key": "file-0001"}

        first = intake.post("/api/v1/cases", json=body, headers=key)
        again = intake.post("/api/v1/cases", json=body, headers=key)

        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json() == first.json()
        assert again.headers["Idempotent-Replayed"] == "true"
        assert "Idempotent-Replayed" not in first.headers
        assert count(engine, Case.__table__) == 1
        assert_log_consistent(engine)

    def test_a_retried_event_changes_nothing(self, engine, intake, office):
        case = intake.post("/api/v1/cases", json=filing(make_record(engine))).json()
        url = f"/api/v1/cases/{case['id']}/events/review"
        key = {"Idempotency-Key": "review-7"}

        first = office.post(url, headers=key)
        rows = count(engine, AuditEntry.__table__)
        again = office.post(url, headers=key)
        without_key = office.post(url)

        assert again.json() == first.json()
        assert again.json()["version"] == 2
        assert count(engine, AuditEntry.__table__) == rows
        assert without_key.status_code == 409
        assert_log_consistent(engine)

    def test_an_error_answer_is_remembered_too(self, engine, intake):
        penalty_id = make_record(engine)
        intake.post("/api/v1/cases", json=filing(penalty_id))
        key = {"Idempotency-Key": "dup"}

        first = intake.post("/api/v1/cases", json=filing(penalty_id), headers=key)
        again = intake.post("/api/v1/cases", json=filing(penalty_id), headers=key)

        assert (first.status_code, again.status_code) == (409, 409)
        assert again.json() == first.json()

    def test_a_multipart_retry_with_a_new_boundary_is_the_same_request(
        self, engine, intake
    ):
        case = intake.post("/api/v1/cases", json=filing(make_record(engine))).json()
        url = f"/api/v1/cases/{case['id']}/documents"
        key = {"Idempotency-Key": "upload-1"}

        def upload(boundary: str):
            body = (
                f"--{boundary}\r\n"
                'Content-Disposition: form-data; name="kind"\r\n\r\n'
                "credit_report\r\n"
                f"--{boundary}\r\n"
                'Content-Disposition: form-data; name="file"; filename="r.pdf"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
                "%PDF report\r\n"
                f"--{boundary}--\r\n"
            ).encode()
            content_type = f"multipart/form-data; boundary={boundary}"
            return intake.post(
                url, content=body, headers=key | {"Content-Type": content_type}
            )

        first, again = upload("aaaa1111"), upload("bbbb2222")

        assert first.status_code == 200, first.text
        assert again.headers["Idempotent-Replayed"] == "true"
        assert len(intake.get(f"/api/v1/cases/{case['id']}").json()["documents"]) == 2
        assert_log_consistent(engine)


class TestMisuse:
    def test_the_same_key_with_another_body_is_refused(self, engine, intake):
        key = {"Idempotency-Key": "file-0002"}
        intake.post("/api/v1/cases", json=filing(make_record(engine)), headers=key)

        other = intake.post(
            "/api/v1/cases", json=filing(make_record(engine)), headers=key
        )

        assert other.status_code == 422
        assert other.json()["error"] == "idempotency_key_reused"
        assert "different request" in other.json()["message"]
        assert count(engine, Case.__table__) == 1

    def test_keys_belong_to_their_token(self, engine, caller):
        first, second = caller("intake"), caller("intake")
        key = {"Idempotency-Key": "shared"}

        a = first.post("/api/v1/cases", json=filing(make_record(engine)), headers=key)
        b = second.post("/api/v1/cases", json=filing(make_record(engine)), headers=key)

        assert (a.status_code, b.status_code) == (201, 201)
        assert a.json()["id"] != b.json()["id"]

    @pytest.mark.parametrize(
        ("reserved_ago", "status", "cases"),
        [(timedelta(minutes=1), 409, 0), (timedelta(minutes=11), 201, 1)],
    )
    def test_a_retry_while_the_first_runs_is_told_to_wait_unless_abandoned(
        self, engine, intake, clock, reserved_ago, status, cases
    ):
        raw = json.dumps(filing(make_record(engine))).encode()
        headers = {"Content-Type": "application/json", "Idempotency-Key": "slow"}
        scope = {
            "method": "POST",
            "path": "/api/v1/cases",
            "query_string": b"",
            "headers": [(b"content-type", b"application/json")],
        }
        [token] = list_tokens(engine)
        held = reserve_key(
            engine,
            token.id,
            "slow",
            "POST",
            "/api/v1/cases",
            request_hash(scope, raw),
            clock.now() - reserved_ago,
            ABANDONED_AFTER,
        )
        assert held is None

        response = intake.post("/api/v1/cases", content=raw, headers=headers)

        assert response.status_code == status, response.text
        if status == 409:
            assert response.json()["error"] == "idempotency_key_in_use"
        assert count(engine, Case.__table__) == cases

    @pytest.mark.parametrize("key", ["", "x" * 201, "with space", "汉字".encode()])
    def test_a_malformed_key_is_422(self, intake, key):
        response = intake.post(
            "/api/v1/cases", json={}, headers={"Idempotency-Key": key}
        )

        assert response.status_code == 422
        assert "Idempotency-Key" in response.json()["problems"]
