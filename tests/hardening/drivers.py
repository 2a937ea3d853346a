"""What clients do to cases: a shared picture of the cases they know, and a driver
per procedure that picks the next request and learns from its answer. Another
procedure (the quarterly batch) joins by adding its driver to ``DRIVERS``."""

import base64
import hashlib
import itertools
import random
import threading
from datetime import UTC, date, datetime, timedelta, timezone
from typing import ClassVar

import httpx

from tests.hardening.ledger import Answer, Ledger, Request, send

BEIJING = timezone(timedelta(hours=8))
OPEN = ("submitted", "taken_down", "awaiting_confirmation", "awaiting_training_proof")
#: The states in which each commitment action can succeed.
PLAUSIBLE = {
    "review": ("submitted",),
    "request_confirmation": ("taken_down",),
    "confirm": ("awaiting_confirmation",),
    "withdraw": OPEN,
    "document": OPEN,
}


class World:
    """Records free for a new case and the last known state of each case."""

    def __init__(self, records: list[tuple[int, str]], department_code: str) -> None:
        self.lock = threading.Lock()
        self.free = list(records)
        self.cases: dict[int, tuple[str, int | None]] = {}
        self.department_code = department_code
        self.numbers = itertools.count(1)

    def take_record(self, rng: random.Random) -> tuple[int, str] | None:
        with self.lock:
            if not self.free:
                return None
            return self.free.pop(rng.randrange(len(self.free)))

    def add_record(self, penalty_id: int, penalty_class: str) -> None:
        with self.lock:
            self.free.append((penalty_id, penalty_class))

    def learn(self, case_id: int, state: str, version: int | None = None) -> None:
        with self.lock:
            known = self.cases.get(case_id, (state, None))[1]
            self.cases[case_id] = (state, version or known)

    def pick_case(self, rng: random.Random, states=None):
        """A known case (in one of ``states``), as (id, state, version), or None."""
        with self.lock:
            found = [
                (case_id, *known)
                for case_id, known in self.cases.items()
                if states is None or known[0] in states
            ]
        return rng.choice(found) if found else None

    def number(self) -> int:
        with self.lock:
            return next(self.numbers)


class CommitmentDriver:
    """Commitment repair (先修复后证明) through ``/api/v1``."""

    weights: ClassVar[dict[str, int]] = {
        "file": 3,
        "review": 3,
        "request_confirmation": 2,
        "confirm": 3,
        "document": 2,
        "withdraw": 1,
        "penalty": 1,
    }

    def __init__(self, decided: date) -> None:
        self.decided = decided

    def next_request(self, world: World, rng: random.Random) -> Request:
        action = rng.choices(list(self.weights), list(self.weights.values()))[0]
        if action == "file":
            record = world.take_record(rng)
            return (
                self._file(world, rng, record) if record else self._penalty(world, rng)
            )
        if action == "penalty":
            return self._penalty(world, rng)
        states = PLAUSIBLE[action] if rng.random() < 0.8 else None
        picked = world.pick_case(rng, states)
        if picked is None:
            return self._penalty(world, rng)
        case_id, _state, version = picked
        expected = version if version and rng.random() < 0.3 else None
        if action == "document":
            return self._document(world, rng, case_id, expected)
        return self._event(rng, case_id, action, expected)

    def absorb(self, world: World, answer: Answer) -> None:
        request, body = answer.request, answer.body
        if not isinstance(body, dict):
            return
        if answer.acknowledged and request.kind == "penalty":
            world.add_record(body["id"], body["penalty_class"])
        elif answer.acknowledged and "state" in body:
            world.learn(body["id"], body["state"], body["version"])
        elif answer.status == 409 and request.case_id and "state" in body:
            world.learn(request.case_id, body["state"])
        elif answer.status == 409 and request.case_id and "actual_version" in body:
            state = world.cases.get(request.case_id, ("submitted", None))[0]
            world.learn(request.case_id, state, body["actual_version"])

    def _file(self, world: World, rng: random.Random, record) -> Request:
        penalty_id, _class = record
        content = f"%PDF commitment letter {world.number()}".encode()
        body = {
            "procedure": "commitment",
            "penalty_id": penalty_id,
            "channel": "website",
            "documents": [
                {
                    "kind": "commitment_letter",
                    "name": "承诺书.pdf",
                    "content_base64": base64.b64encode(content).decode(),
                }
            ]
            if rng.random() < 0.9
            else [],
        }
        if rng.random() < 0.4:  # an e-mail that arrived days ago
            received = datetime.now(UTC) - timedelta(hours=rng.uniform(1, 240))
            body |= {"channel": "email", "received_at": received.astimezone(BEIJING)}
            body["received_at"] = body["received_at"].isoformat()
        return Request("file", "intake", "POST", "/api/v1/cases", json=body)

    def _event(self, rng, case_id: int, event: str, expected: int | None) -> Request:
        role = {"review": "office", "request_confirmation": "office"}.get(event)
        if event == "confirm":
            role = "department" if rng.random() < 0.7 else "office"
        elif event == "withdraw":
            role = "intake"
        body: dict = {"expected_version": expected} if expected else {}
        if event == "confirm":
            body["fulfilled"] = rng.random() < 0.8
        path = f"/api/v1/cases/{case_id}/events/{event}"
        return Request(
            "event", role, "POST", path, json=body, case_id=case_id, event=event
        )

    def _document(self, world: World, rng, case_id: int, expected) -> Request:
        kind = rng.choice(["training_certificate", "credit_report"])
        content = f"%PDF {kind} {world.number()} {rng.random()}".encode()
        data = {"kind": kind} | (
            {"expected_version": str(expected)} if expected else {}
        )
        return Request(
            "document",
            "intake",
            "POST",
            f"/api/v1/cases/{case_id}/documents",
            files={"file": (f"{kind}.pdf", content)},
            data=data,
            case_id=case_id,
            sha256=hashlib.sha256(content).hexdigest(),
        )

    def _penalty(self, world: World, rng: random.Random) -> Request:
        n = world.number()
        body = {
            "party_name": f"昆明压测{n}号有限公司",
            "department_code": world.department_code,
            "decision_number": f"昆压罚〔2026〕{n}-{rng.randrange(10**9)}号",
            "penalty_kinds": ["罚款"],
            "fine_yuan": "1000.00",
            "decision_date": self.decided.isoformat(),
            "penalty_class": rng.choice(["general", "severe"]),
        }
        role = rng.choice(["intake", "office"])
        return Request("penalty", role, "POST", "/api/v1/penalties", json=body)


def client_loop(base, tokens, world, ledger: Ledger, driver, rng, stop) -> None:
    """Send requests until ``stop`` is set or the server stops answering."""
    with httpx.Client(base_url=base, timeout=30) as client:
        while not stop.is_set():
            request = driver.next_request(world, rng)
            answer = send(client, tokens, request)
            ledger.add(request, answer)
            if answer is None:
                return
            driver.absorb(world, answer)


DRIVERS = {"commitment": CommitmentDriver}
