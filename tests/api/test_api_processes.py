"""The real processes: ``serve`` answering HTTP with JSON logs that carry the
request id and stopping cleanly on SIGTERM, and ``scheduler`` processes on
PostgreSQL where another takes the lead when the leader dies."""

import signal
import time
from datetime import UTC, datetime

import httpx
import pytest

from credit_repair.persistence.db import make_engine
from credit_repair.persistence.migrate import upgrade
from credit_repair.persistence.tokens import create_token
from credit_repair.persistence.unit_of_work import SqlUnitOfWork
from credit_repair.scheduler.runner import DeadlineScheduler
from credit_repair.workflow import commitment
from credit_repair.workflow.calendar import WorkingCalendar
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.model import Actor
from credit_repair.workflow.regimes import load_regime
from tests.conftest import FakeClock
from tests.factories import make_record
from tests.processes import Process, free_port, wait_until_up

pytestmark = pytest.mark.slow
OFFICE = Actor("王芳", "office")


def test_serve_logs_each_request_with_its_id_and_stops_cleanly(tmp_path):
    url = f"sqlite:///{tmp_path}/serve.db"
    engine = make_engine(url)
    upgrade(engine)
    _holder, secret = create_token(engine, "intake", datetime.now(UTC), name="portal")
    penalty_id = make_record(engine)
    port = free_port()
    server = Process(url, "serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        filed = httpx.post(
            f"{base}/api/v1/cases",
            json={
                "procedure": "commitment",
                "penalty_id": penalty_id,
                "channel": "email",
            },
            headers={"Authorization": f"Bearer {secret}", "X-Request-ID": "e2e-1"},
        )
        ready = httpx.get(f"{base}/readyz").json()
    finally:
        code = server.stop()

    assert filed.status_code == 201
    assert filed.headers["X-Request-ID"] == "e2e-1"
    assert ready["checks"]["scheduler"]["detail"].startswith("leading")
    # uvicorn shuts down gracefully, then re-raises SIGTERM to exit with it
    assert code in (0, -signal.SIGTERM)
    assert server.events("Application shutdown complete.")
    mine = [line for line in server.lines if line.get("request_id") == "e2e-1"]
    assert [line["event"] for line in mine] == ["case_filed", "request_handled"]
    access = mine[-1]
    assert (access["method"], access["path"], access["status"]) == (
        "POST",
        "/api/v1/cases",
        201,
    )
    assert access["duration_ms"] > 0
    assert server.events("scheduler_stopped")
    assert secret not in "".join(server.raw)
    engine.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_second_scheduler_process_takes_over_when_the_leader_dies(database_url):
    engine = make_engine(database_url)
    first = Process(database_url, "scheduler")
    first.wait_for("scheduler_lead_changed", leading=True)
    second = Process(database_url, "scheduler")
    try:
        second.wait_for("scheduler_started")
        time.sleep(2.5)
        assert not second.events("scheduler_lead_changed")

        first.stop(signal.SIGKILL)
        case_id = _case_with_a_due_deadline(engine)
        second.wait_for("scheduler_lead_changed", leading=True)
        fired = second.wait_for("deadline_fired", outcome="escalate")
    finally:
        for process in (first, second):
            process.stop()

    assert fired["deadline_id"] > 0
    assert second.popen.returncode == 0
    with engine.connect() as conn:
        from credit_repair.persistence.views import case_view

        assert case_view(conn, case_id)["escalated_at"] is not None
    engine.dispose()


def _case_with_a_due_deadline(engine) -> int:
    """A taken-down case whose request deadline passed weeks ago."""
    clock = FakeClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    wf = Workflow(
        unit_of_work=lambda: SqlUnitOfWork(engine, clock),
        clock=clock,
        calendar=WorkingCalendar(),
        regime=load_regime("kunming-2020"),
    )
    letter = ("commitment_letter", "承诺书.pdf", b"%PDF")
    case = commitment.submit(wf, make_record(engine), "email", OFFICE, None, [letter])
    commitment.fire_event(wf, case.id, "review", OFFICE)
    return case.id


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_schedulers_in_one_process_one_leads_then_the_other(engine):
    """The standby takes the lead at its first sweep after the leader stops."""
    other_engine = make_engine(str(engine.url.render_as_string(False)))
    clock = FakeClock(datetime(2026, 3, 10, tzinfo=UTC))
    wf = Workflow(
        unit_of_work=lambda: SqlUnitOfWork(engine, clock),
        clock=clock,
        calendar=WorkingCalendar(),
        regime=load_regime("kunming-2020"),
    )
    leader = DeadlineScheduler(wf, engine)
    standby = DeadlineScheduler(wf, other_engine)
    _case_with_a_due_deadline(engine)

    assert leader.sweep() == 1
    assert (leader.leading, standby.sweep(), standby.leading) == (True, 0, False)
    leader.shutdown()
    _case_with_a_due_deadline(engine)

    assert standby.sweep() == 1
    assert standby.leading
    standby.shutdown()
    other_engine.dispose()
