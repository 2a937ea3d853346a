"""Which roles may call which route: the table in docs/api.md, checked route by
route; a caller outside a route's roles gets 403, without a token 401."""

import pytest

from tests.factories import make_record

pytestmark = pytest.mark.storage

ALL = {"office", "department", "intake", "auditor"}
FILERS = {"office", "intake"}

#: method, path, body, roles admitted
ROUTES = [
    ("POST", "/api/v1/penalties", {}, FILERS),
    ("GET", "/api/v1/penalties", None, ALL),
    ("GET", "/api/v1/penalties/{penalty}", None, ALL),
    ("POST", "/api/v1/penalties/import", None, FILERS),
    ("POST", "/api/v1/cases", {}, FILERS),
    ("GET", "/api/v1/cases", None, ALL),
    ("GET", "/api/v1/cases/{case}", None, ALL),
    ("POST", "/api/v1/cases/{case}/events/nonesuch", {}, ALL - {"auditor"}),
    ("POST", "/api/v1/cases/{case}/documents", None, FILERS),
    ("GET", "/api/v1/cases/{case}/history", None, ALL),
    (
        "GET",
        "/api/v1/calendar/deadline?start=2026-03-02T09:00%2B08:00&days=1",
        None,
        ALL,
    ),
    ("GET", "/api/v1/eligibility?penalty_id={penalty}&procedure=commitment", None, ALL),
    ("GET", "/api/v1/publication-changes", None, {"office", "intake", "auditor"}),
    ("GET", "/api/v1/audit/verify", None, {"office", "auditor"}),
    ("GET", "/api/v1/audit/replay", None, {"office", "auditor"}),
    ("GET", "/api/v1/audit/export", None, {"office", "auditor"}),
    ("GET", "/api/v1/notifications", None, ALL - {"intake"}),
    ("GET", "/api/v1/notifications?recipient=company:1", None, ALL - {"department"}),
    ("POST", "/api/v1/batches", {}, {"office"}),
    ("GET", "/api/v1/batches", None, ALL),
    ("GET", "/api/v1/batches/{batch}", None, ALL),
    ("GET", "/api/v1/batches/{batch}/items", None, ALL - {"intake"}),
    ("POST", "/api/v1/batches/{batch}/confirmations", [], {"office", "department"}),
    ("POST", "/api/v1/batches/{batch}/review", {}, {"office"}),
    ("POST", "/api/v1/batches/{batch}/cancel", {}, {"office"}),
    ("GET", "/api/v1/batches/{batch}/notice", None, ALL),
    ("POST", "/api/v1/batches/{batch}/objections", {}, FILERS),
    ("GET", "/api/v1/machines", None, ALL),
    ("GET", "/api/v1/machines/commitment/diagram", None, ALL),
]


@pytest.fixture
def world(engine, caller):
    """A record with an open case, an empty batch, and a caller of each role (the
    department's token is the record's own department)."""
    from tests.factories import department_code

    penalty_id = make_record(engine)
    callers = {
        "office": caller("office"),
        "intake": caller("intake"),
        "auditor": caller("auditor"),
        "department": caller("department", department_code(engine, penalty_id)),
    }
    case = callers["intake"].post(
        "/api/v1/cases",
        json={"procedure": "commitment", "penalty_id": penalty_id, "channel": "email"},
    )
    batch = callers["office"].post("/api/v1/batches").json()["id"]
    return {"penalty": penalty_id, "case": case.json()["id"], "batch": batch}, callers


@pytest.mark.parametrize(
    ("method", "path", "body", "admitted"),
    ROUTES,
    ids=[f"{m} {p.split('?')[0]}" for m, p, _, _ in ROUTES],
)
def test_each_route_admits_its_roles_only(world, method, path, body, admitted):
    ids, callers = world
    url = path.format(**ids)
    for role, caller in callers.items():
        send = caller.get if method == "GET" else caller.post
        response = send(url) if body is None else send(url, json=body)
        if role in admitted:
            assert response.status_code not in (401, 403), (role, response.text)
        else:
            assert response.status_code == 403, (role, response.text)
            assert response.json()["error"] == "forbidden"


@pytest.mark.parametrize(
    ("method", "path"),
    [(m, p) for m, p, _, _ in ROUTES],
    ids=[f"{m} {p.split('?')[0]}" for m, p, _, _ in ROUTES],
)
def test_each_route_needs_a_token(world, anonymous, method, path):
    ids, _callers = world
    url = path.format(**ids)

    response = anonymous.get(url) if method == "GET" else anonymous.post(url, json={})

    assert response.status_code == 401


def test_health_readiness_docs_and_metrics_need_no_token(world, anonymous):
    for path in ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"):
        assert anonymous.get(path).status_code == 200, path


#: event, the events that bring a new case to where it is accepted, roles refused,
#: a role admitted
EVENTS = [
    ("review", [], {"intake", "department"}, "office"),
    ("request_confirmation", ["review"], {"intake", "department"}, "office"),
    ("confirm", ["review", "request_confirmation"], {"intake"}, "department"),
    ("confirm", ["review", "request_confirmation"], {"intake"}, "office"),
    ("withdraw", ["review"], {"department"}, "intake"),
    ("withdraw", [], {"department"}, "office"),
]


@pytest.mark.parametrize(("name", "before", "refused", "admitted"), EVENTS)
def test_each_event_admits_its_roles(engine, caller, name, before, refused, admitted):
    from tests.api.conftest import LETTER, encoded
    from tests.checks import assert_log_consistent
    from tests.factories import department_code

    penalty_id = make_record(engine)
    code = department_code(engine, penalty_id)
    callers = {
        role: caller(role, code if role == "department" else None) for role in ALL
    }
    body = {"procedure": "commitment", "penalty_id": penalty_id, "channel": "email"}
    body["documents"] = [encoded(*LETTER)]
    case = callers["intake"].post("/api/v1/cases", json=body).json()
    for earlier in before:
        callers["office"].post(f"/api/v1/cases/{case['id']}/events/{earlier}")
    url = f"/api/v1/cases/{case['id']}/events/{name}"
    inputs = {"fulfilled": True} if name == "confirm" else {}

    for role in refused:
        response = callers[role].post(url, json=inputs)
        assert response.status_code == 403, (role, response.text)
    response = callers[admitted].post(url, json=inputs)

    assert response.status_code == 200, response.text
    assert response.json()["version"] == len(before) + 2
    assert_log_consistent(engine)
