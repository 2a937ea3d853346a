"""Notifications through HTTP, per role, on SQLite and PostgreSQL: office and
auditors read everyone's, a department its own, intake a company's."""

import pytest

from tests.api.conftest import LETTER, encoded
from tests.checks import assert_log_consistent
from tests.factories import company_of, department_code, make_record

pytestmark = pytest.mark.storage

URL = "/api/v1/notifications"


@pytest.fixture
def told(engine, intake, office):
    """A commitment case asking its department to confirm, and an instant case
    forwarded to the upper level; recipient → kinds sent, in order."""
    penalty_id = make_record(engine)
    body = {"procedure": "commitment", "penalty_id": penalty_id, "channel": "email"}
    case = intake.post("/api/v1/cases", json=body | {"documents": [encoded(*LETTER)]})
    case = case.json()
    for name in ("review", "request_confirmation"):
        office.post(f"/api/v1/cases/{case['id']}/events/{name}")
    national = make_record(engine, published_where="national")
    body = {"procedure": "instant", "penalty_id": national, "channel": "website"}
    intake.post("/api/v1/cases", json=body | {"documents": [encoded(*LETTER)]})
    assert_log_consistent(engine)
    return {
        "company": f"company:{company_of(engine, penalty_id)}",
        "department": f"department:{department_code(engine, penalty_id)}",
        "instant_company": f"company:{company_of(engine, national)}",
        "code": department_code(engine, penalty_id),
    }


def kinds(response) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.text
    return [(n["recipient"], n["kind"]) for n in response.json()["items"]]


def test_the_office_and_auditors_read_everything_in_pages(told, office, auditor):
    everything = [
        (told["company"], "taken_down"),
        (told["department"], "confirmation_requested"),
        ("upper_level", "upper_level_review"),
        (told["instant_company"], "instant_forwarded"),
    ]
    assert kinds(auditor.get(URL)) == everything

    first = office.get(URL, params={"limit": 3}).json()
    rest = office.get(URL, params={"after": first["next_after"]}).json()

    assert [n["kind"] for n in first["items"]] == [k for _, k in everything[:3]]
    assert [(n["recipient"], n["kind"]) for n in rest["items"]] == everything[3:]
    assert rest["next_after"] == rest["items"][-1]["id"]
    shown = first["items"][1]
    assert (shown["status"], shown["delivered_at"]) == ("pending", None)
    assert "确认" in shown["text"]
    assert kinds(office.get(URL, params={"recipient": "upper_level"})) == [
        ("upper_level", "upper_level_review")
    ]


def test_a_department_reads_its_own_only(told, caller):
    own = caller("department", told["code"])
    other = caller("department", "ELSEWHERE")

    expected = [(told["department"], "confirmation_requested")]
    assert kinds(own.get(URL)) == expected
    assert kinds(own.get(URL, params={"recipient": told["department"]})) == expected
    assert kinds(other.get(URL)) == []
    refused = own.get(URL, params={"recipient": told["company"]})
    assert (refused.status_code, refused.json()["error"]) == (403, "forbidden")


def test_intake_reads_a_named_company_only(told, intake):
    company = intake.get(URL, params={"recipient": told["instant_company"]})

    assert kinds(company) == [(told["instant_company"], "instant_forwarded")]
    for asked in (None, "upper_level", told["department"]):
        params = {"recipient": asked} if asked else {}
        assert intake.get(URL, params=params).status_code == 403, asked


def test_a_malformed_recipient_is_invalid_input(office):
    response = office.get(URL, params={"recipient": "company:1; drop"})
    assert response.status_code == 422
    assert "recipient" in response.json()["problems"]
