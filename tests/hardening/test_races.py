"""Races under load: 16 clients fire conflicting confirmations, withdrawals (one
of them twice at once with the same ``Idempotency-Key``) and document uploads
(with and without the version they read) at the same cases over HTTP while the
deadline scheduler sweeps and the clock has moved past the department's and the
training deadlines. Every case ends in one final state reached by exactly one
transition; each version is won at most once; a keyed request runs once; every
other client gets a 409 saying why; no client ever sees a 500 or "database is
locked"; the scheduler never fails; each due deadline fired once and the log
replays. SQLite and PostgreSQL; ``HARDEN_RACE_CASES`` (default 16) for more."""

import os
import random
import threading
import time
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from credit_repair.persistence.tables import AuditEntry, Bar, Case, PenaltyRecord
from credit_repair.scheduler import runner
from credit_repair.scheduler.runner import DeadlineScheduler
from credit_repair.workflow import commitment
from credit_repair.workflow.model import Actor
from tests.checks import assert_log_consistent
from tests.factories import make_department, make_record
from tests.hardening.invariants import deadline_problems
from tests.hardening.ledger import LOCKED

pytestmark = [pytest.mark.storage, pytest.mark.slow]
CASES = int(os.environ.get("HARDEN_RACE_CASES", "16"))
CLIENTS = 16
FINAL = {"effective", "relisted_barred", "withdrawn"}
OFFICE, INTAKE = Actor("王芳", "office"), Actor("portal", "intake")
LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF letter")


def awaiting_confirmation(engine, wf, department_id: int) -> list[int]:
    """Cases waiting for their department, half of them severe (so a training
    deadline runs too), all filed at the fake clock's start."""
    ids = []
    for n in range(CASES):
        penalty_id = make_record(
            engine,
            penalty_class="severe" if n % 2 else "general",
            decision_date=date(2025, 7, 10),
            department_id=department_id,
        )
        case = commitment.submit(wf, penalty_id, "website", INTAKE, None, [LETTER])
        for event in ("review", "request_confirmation"):
            commitment.fire_event(wf, case.id, event, OFFICE)
        ids.append(case.id)
    return ids


def conflicting_requests(case_id: int, version: int, callers) -> list[tuple]:
    """What the clients send to one case: (name, caller, method args)."""
    events = f"/api/v1/cases/{case_id}/events"
    document = f"/api/v1/cases/{case_id}/documents"

    def upload(kind: str, expected: int | None = None) -> dict:
        data = {"kind": kind} | (
            {"expected_version": str(expected)} if expected else {}
        )
        content = f"%PDF {kind} {case_id} {random.random()}".encode()
        return {"files": {"file": (f"{kind}.pdf", content)}, "data": data}

    department, intake = callers["department"], callers["intake"]
    retried = {"json": {}, "headers": {"Idempotency-Key": f"withdraw-{case_id}"}}
    return [
        ("confirm", department, f"{events}/confirm", {"json": {"fulfilled": True}}),
        ("confirm", department, f"{events}/confirm",
         {"json": {"fulfilled": True, "expected_version": version}}),
        ("confirm", callers["office"], f"{events}/confirm",
         {"json": {"fulfilled": False, "expected_version": version}}),
        ("withdraw", intake, f"{events}/withdraw", {"json": {}}),
        ("withdraw", intake, f"{events}/withdraw",
         {"json": {"expected_version": version}}),
        ("withdraw", intake, f"{events}/withdraw", retried),
        ("withdraw", intake, f"{events}/withdraw", retried),
        ("submit_proof", intake, document, upload("training_certificate")),
        ("submit_proof", intake, document, upload("credit_report")),
        ("submit_proof", intake, document, upload("credit_report", version)),
    ]  # fmt: skip


def test_conflicting_clients_and_the_scheduler_leave_one_winner_per_case(
    engine, wf, clock, caller, monkeypatch
):
    department_id = make_department(engine, "SCJG")
    case_ids = awaiting_confirmation(engine, wf, department_id)
    callers = {
        "department": caller("department", "SCJG", "李强"),
        "intake": caller("intake", name="portal"),
        "office": caller("office", name="王芳"),
    }
    planned = [
        (case_id, *request)
        for case_id in case_ids
        for request in conflicting_requests(case_id, 3, callers)
    ]
    random.Random(8).shuffle(planned)
    scheduler_failures = watch_the_scheduler(monkeypatch)
    answers: list[tuple] = []
    lock, start, done = (
        threading.Lock(),
        threading.Barrier(CLIENTS + 1),
        threading.Event(),
    )

    def client(share: list[tuple]) -> None:
        start.wait()
        for case_id, name, sender, path, kwargs in share:
            response = sender.post(path, **kwargs)
            if response.headers.get("Idempotent-Replayed") == "true":
                name = f"{name} (replayed)"
            answer = (case_id, name, kwargs, response.status_code, response.json())
            with lock:
                answers.append(answer)

    scheduler = DeadlineScheduler(wf, engine)
    threads = [
        threading.Thread(target=client, args=(planned[i::CLIENTS],))
        for i in range(CLIENTS)
    ]
    sweeper = threading.Thread(target=sweep_until, args=(scheduler, done))
    for thread in (*threads, sweeper):
        thread.start()
    clock.advance(days=10)  # department answers and training proofs fall due
    start.wait()
    for thread in threads:
        thread.join(timeout=120)
    done.set()
    sweeper.join(timeout=120)
    scheduler.sweep()
    scheduler.shutdown()

    assert len(answers) == len(planned)
    assert not scheduler_failures, scheduler_failures
    statuses = Counter(status for *_, status, _body in answers)
    print(f"\nraces [{engine.dialect.name}]: {len(planned)} requests by {CLIENTS} "
          f"clients on {CASES} cases, answers {dict(statuses)}, "
          f"scheduler fired {scheduler.fired}")  # fmt: skip
    assert set(statuses) <= {200, 409}, [a for a in answers if a[3] not in (200, 409)]
    assert not [a for a in answers if LOCKED in str(a[4])]
    for *_, status, body in answers:
        if status == 409:
            assert body["error"] in (
                "version_conflict",
                "transition_not_allowed",
                "idempotency_key_in_use",
            )
            assert body["message"], body
    check_one_winner_per_case(engine, case_ids, answers)
    problems, _fired = deadline_problems(engine, clock.now())
    assert not problems, problems
    assert_log_consistent(engine)


def watch_the_scheduler(monkeypatch) -> list[str]:
    """Failures of deadline firings, which the scheduler would only log."""
    failures: list[str] = []
    fire = runner.fire_deadline

    def watched(wf, deadline_id):
        try:
            return fire(wf, deadline_id)
        except Exception as exc:
            failures.append(f"deadline {deadline_id}: {exc!r}")
            raise

    monkeypatch.setattr(runner, "fire_deadline", watched)
    return failures


def sweep_until(scheduler: DeadlineScheduler, done: threading.Event) -> None:
    while not done.is_set():
        scheduler.sweep()
        time.sleep(0.01)


def check_one_winner_per_case(engine, case_ids: list[int], answers) -> None:
    """One final transition per case; each version won at most once; each 200 is
    one row of the log; published flags and bars agree with the final state."""
    audit, case_table = AuditEntry.__table__, Case.__table__
    record = PenaltyRecord.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(audit.c.stream, audit.c.event, audit.c.target))
        log, finals = Counter(), Counter()
        for row in rows:
            log[(row.stream, row.event)] += 1
            finals[row.stream] += row.target in FINAL
        cases = {
            r.id: r
            for r in conn.execute(
                select(case_table, record.c.is_published).join(
                    record, record.c.id == case_table.c.penalty_id
                )
            )
        }
        barred = set(conn.execute(select(Bar.__table__.c.company_id)).scalars())

    won = Counter(
        (case_id, kwargs.get("json", kwargs.get("data", {})).get("expected_version"))
        for case_id, name, kwargs, status, _body in answers
        if status == 200 and not name.endswith("(replayed)")
    )
    ran_with_key = Counter(
        case_id
        for case_id, name, kwargs, _status, body in answers
        if "headers" in kwargs
        and not name.endswith("(replayed)")
        and body.get("error") != "idempotency_key_in_use"
    )
    for case_id in case_ids:
        case, stream = cases[case_id], f"commitment:{case_id}"
        assert case.state in FINAL, (case_id, case.state)
        assert finals[stream] == 1, (case_id, finals[stream])
        assert ran_with_key[case_id] == 1, case_id
        assert won[(case_id, 3)] + won[(case_id, "3")] <= 1, case_id
        for event in ("confirm", "withdraw", "submit_proof"):
            acknowledged = sum(
                1
                for c, name, _kwargs, status, _body in answers
                if (c, name, status) == (case_id, event, 200)
            )
            assert acknowledged == log[(stream, event)], (case_id, event)
        assert case.is_published == (case.state != "effective"), case_id
        assert (case.company_id in barred) == (case.state == "relisted_barred")
