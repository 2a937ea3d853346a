"""Several clients confirming and withdrawing the same cases at once: exactly one
wins each case, the others get 409, and the audit chain stays intact."""

import threading
from collections import Counter

import pytest

from tests.api.conftest import LETTER, encoded
from tests.checks import assert_log_consistent
from tests.factories import department_code, make_record

pytestmark = pytest.mark.storage

CASES = 6
RACERS = ("confirm", "withdraw", "confirm", "withdraw")


def awaiting_confirmation(engine, intake, office) -> tuple[int, int]:
    penalty_id = make_record(engine)
    body = {
        "procedure": "commitment",
        "penalty_id": penalty_id,
        "channel": "website",
        "documents": [encoded(*LETTER)],
    }
    case_id = intake.post("/api/v1/cases", json=body).json()["id"]
    for name in ("review", "request_confirmation"):
        office.post(f"/api/v1/cases/{case_id}/events/{name}")
    return penalty_id, case_id


def test_one_winner_per_case_and_the_losers_get_409(engine, intake, office, caller):
    races = []
    for _ in range(CASES):
        penalty_id, case_id = awaiting_confirmation(engine, intake, office)
        department = caller("department", department_code(engine, penalty_id))
        for name in RACERS:
            sender = department if name == "confirm" else intake
            inputs = {"fulfilled": True} if name == "confirm" else {}
            races.append((case_id, name, sender, inputs))
    start = threading.Barrier(len(races))
    outcomes: list[tuple[int, str, int, dict]] = []
    lock = threading.Lock()

    def race(case_id, name, sender, inputs):
        start.wait()
        response = sender.post(f"/api/v1/cases/{case_id}/events/{name}", json=inputs)
        with lock:
            outcomes.append((case_id, name, response.status_code, response.json()))

    threads = [threading.Thread(target=race, args=r) for r in races]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == len(races)
    by_case = Counter((case_id, status) for case_id, _, status, _ in outcomes)
    for case_id in {r[0] for r in races}:
        assert by_case[(case_id, 200)] == 1, outcomes
        assert by_case[(case_id, 409)] == len(RACERS) - 1, outcomes
    for _case_id, _name, status, body in outcomes:
        if status == 409:
            assert body["error"] in ("version_conflict", "transition_not_allowed")
    for case_id, name, status, _ in outcomes:
        if status == 200:
            final = office.get(f"/api/v1/cases/{case_id}").json()
            expected = "effective" if name == "confirm" else "withdrawn"
            assert (final["state"], final["version"]) == (expected, 4)
    assert_log_consistent(engine)
