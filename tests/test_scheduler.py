"""The deadline scheduler: restart, exactly-once firing, isolation of errors, races."""

import threading
import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select

from credit_repair.bootstrap import build_scheduler
from credit_repair.persistence.tables import AuditEntry, Deadline
from credit_repair.persistence.views import case_view
from credit_repair.scheduler.runner import DeadlineScheduler
from credit_repair.settings import Settings
from credit_repair.workflow import commitment
from credit_repair.workflow.errors import TransitionNotAllowed, VersionConflict
from credit_repair.workflow.firing import fire_deadline
from credit_repair.workflow.model import Actor
from tests.checks import assert_log_consistent, feed, is_published
from tests.factories import department_code, make_record

pytestmark = pytest.mark.storage

OFFICE = Actor("王芳", "office")
LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF letter")
WEDNESDAY = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def schedulers(wf, engine):
    """Makes schedulers and shuts every one down (giving up its lock) afterwards."""
    made = []

    def make(on_engine=None) -> DeadlineScheduler:
        made.append(DeadlineScheduler(wf, on_engine or engine, sweep_seconds=3600))
        return made[-1]

    yield make
    for scheduler in made:
        scheduler.shutdown()


def awaiting_confirmation(wf, engine) -> tuple[int, int]:
    penalty_id = make_record(engine)
    case = commitment.submit(wf, penalty_id, "website", OFFICE, documents=[LETTER])
    commitment.fire_event(wf, case.id, "review", OFFICE)
    commitment.fire_event(wf, case.id, "request_confirmation", OFFICE)
    return penalty_id, case.id


def escalations(engine, case_id) -> int:
    table = AuditEntry.__table__
    with engine.connect() as conn:
        return len(
            conn.execute(
                select(table.c.seq).where(
                    table.c.stream == f"commitment:{case_id}",
                    table.c.event == "escalate",
                )
            ).all()
        )


def wait_until(predicate, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


class TestRestart:
    def test_a_deadline_due_while_stopped_fires_once_after_start(
        self, wf, engine, clock, schedulers
    ):
        _, case_id = awaiting_confirmation(wf, engine)
        clock.set(WEDNESDAY)  # the answer was due Tue 24:00; the service was down

        first = schedulers()
        first.start()
        wait_until(lambda: first.fired == 1)
        first.shutdown()
        second = schedulers()
        assert second.sweep() == 0

        assert escalations(engine, case_id) == 1
        with engine.connect() as conn:
            statuses = {
                d["kind"]: d["status"] for d in case_view(conn, case_id)["deadlines"]
            }
        assert statuses == {
            "request_confirmation": "met",
            "department_answer": "fired",
            "department_reminder": "pending",
        }
        assert_log_consistent(engine)

    def test_jobs_are_rebuilt_from_the_table(self, wf, engine, schedulers):
        awaiting_confirmation(wf, engine)
        scheduler = schedulers()
        assert scheduler.rebuild_jobs() == 1


class TestShutdown:
    def test_shutdown_during_a_sweep_does_not_hang(self, wf, engine, monkeypatch):
        from credit_repair.scheduler import runner

        entered, release = threading.Event(), threading.Event()
        real = runner.pending_deadlines

        def slow_pending(conn):
            entered.set()
            release.wait(5)
            return real(conn)

        awaiting_confirmation(wf, engine)  # so that the sweep has jobs to add
        monkeypatch.setattr(runner, "pending_deadlines", slow_pending)
        scheduler = DeadlineScheduler(wf, engine, sweep_seconds=3600)
        scheduler.start()
        assert entered.wait(5)
        stopping = threading.Thread(target=scheduler.shutdown)
        stopping.start()
        time.sleep(0.2)
        release.set()
        stopping.join(10)

        assert not stopping.is_alive()
        assert not scheduler.running


class TestIsolation:
    def test_a_failing_deadline_is_logged_and_the_others_still_fire(
        self, wf, engine, clock, schedulers
    ):
        _, case_id = awaiting_confirmation(wf, engine)
        with engine.begin() as conn:
            conn.execute(
                insert(Deadline.__table__).values(
                    machine="commitment",
                    subject_id=999_999,
                    kind="department_answer",
                    due_at=datetime(2026, 3, 1, tzinfo=UTC),
                    rule="working_days",
                    inputs={},
                    calendar_version="test",
                    provisional=False,
                    explanation="orphan",
                    status="pending",
                    created_at=datetime(2026, 3, 1, tzinfo=UTC),
                )
            )
        clock.set(WEDNESDAY)

        assert schedulers().sweep() == 1
        assert escalations(engine, case_id) == 1

    def test_a_follower_fires_nothing_until_the_leader_stops(
        self, wf, engine, clock, schedulers
    ):
        awaiting_confirmation(wf, engine)
        clock.set(WEDNESDAY)
        leader, follower = schedulers(), schedulers()
        assert leader.lock.try_acquire()

        assert follower.sweep() == 0
        assert not follower.leading
        leader.shutdown()
        assert follower.sweep() == 1
        assert follower.leading


class TestCatchUp:
    def test_a_catch_up_job_runs_once_when_the_scheduler_takes_the_lead(
        self, wf, engine
    ):
        runs = []
        never = {"trigger": "cron", "year": 2099}
        jobs = [("daily", lambda: runs.append("daily"), never)]
        jobs.append(("other", lambda: runs.append("other"), never))
        scheduler = DeadlineScheduler(
            wf, engine, sweep_seconds=3600, periodic=jobs, catch_up=("daily",)
        )
        try:
            scheduler.start()
            wait_until(lambda: runs == ["daily"])
            scheduler.sweep()
            time.sleep(0.3)
        finally:
            scheduler.shutdown()

        assert runs == ["daily"]

    def test_a_follower_catches_up_when_it_takes_over(self, wf, engine, schedulers):
        runs = []
        never = {"trigger": "cron", "year": 2099}
        leader = schedulers()
        follower = DeadlineScheduler(
            wf,
            engine,
            sweep_seconds=3600,
            periodic=[("daily", lambda: runs.append(1), never)],
            catch_up=("daily",),
        )
        try:
            assert leader.lock.try_acquire()
            follower.start()
            time.sleep(0.3)
            assert runs == []
            leader.shutdown()
            follower.sweep()
            wait_until(lambda: runs == [1])
        finally:
            follower.shutdown()

    def test_the_served_scheduler_expires_overdue_records_when_it_starts(
        self, wf, engine, database_url
    ):
        overdue = make_record(engine, decision_date=date(2024, 6, 1))
        current = make_record(engine)
        scheduler = build_scheduler(wf, engine, Settings(database_url=database_url))
        try:
            scheduler.start()
            wait_until(lambda: not is_published(engine, overdue))
        finally:
            scheduler.shutdown()

        assert is_published(engine, current)
        assert feed(engine, overdue) == ["expired"]
        assert_log_consistent(engine)


class TestRaces:
    @pytest.mark.parametrize("attempt", range(3))
    def test_a_confirmation_and_the_deadline_at_the_same_moment(
        self, wf, engine, clock, attempt
    ):
        penalty_id, case_id = awaiting_confirmation(wf, engine)
        with engine.connect() as conn:
            [answer] = [
                d["id"]
                for d in case_view(conn, case_id)["deadlines"]
                if d["kind"] == "department_answer"
            ]
        clock.set(datetime(2026, 3, 3, 16, 0, tzinfo=UTC))
        department = Actor("李强", "department", department_code(engine, penalty_id))
        start = threading.Barrier(2)
        outcome = {}

        def confirm():
            start.wait()
            try:
                commitment.fire_event(
                    wf,
                    case_id,
                    "confirm",
                    department,
                    {"fulfilled": True},
                    expected_version=3,
                )
                outcome["confirm"] = "won"
            except (VersionConflict, TransitionNotAllowed) as exc:
                outcome["confirm"] = exc.code

        def fire():
            start.wait()
            outcome["deadline"] = fire_deadline(wf, answer)

        threads = [threading.Thread(target=confirm), threading.Thread(target=fire)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        with engine.connect() as conn:
            shown = case_view(conn, case_id)
        statuses = {d["kind"]: d["status"] for d in shown["deadlines"]}
        if outcome["confirm"] == "won":
            assert outcome["deadline"] is None
            assert (shown["state"], statuses["department_answer"]) == (
                "effective",
                "met",
            )
        else:
            assert outcome == {"confirm": "version_conflict", "deadline": "escalate"}
            assert shown["state"] == "awaiting_confirmation"
            assert statuses["department_answer"] == "fired"
        assert_log_consistent(engine)
