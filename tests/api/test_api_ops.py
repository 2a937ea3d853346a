"""Liveness, readiness (and what it says is missing), metrics and request ids."""

from datetime import UTC, datetime

import pytest
import structlog
from fastapi import APIRouter
from fastapi.testclient import TestClient

from credit_repair.app import create_app
from credit_repair.persistence.db import make_engine
from credit_repair.persistence.migrate import pending_revisions, upgrade
from credit_repair.workflow.firing import fire_deadline
from tests.api.conftest import LETTER, encoded
from tests.factories import make_record

pytestmark = pytest.mark.storage


def test_healthz_says_the_process_is_up(anonymous):
    response = anonymous.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


class TestReadiness:
    def test_ready_with_a_warning_when_next_years_calendar_is_missing(self, anonymous):
        response = anonymous.get("/readyz")

        assert response.status_code == 200
        body = response.json()
        assert (body["ready"], body["missing"]) == (True, [])
        assert body["warnings"] == [
            "calendar: no official working-day data for 2027; its deadlines are "
            "provisional (weekdays only) until the year's table is loaded"
        ]
        assert body["checks"]["calendar"]["years"]["2027"] == "missing"
        assert body["checks"]["migrations"]["ok"] is True
        assert body["checks"]["scheduler"]["detail"] == "not run by this process"

    def test_not_ready_without_the_current_years_calendar(self, anonymous, clock):
        clock.set(datetime(2027, 1, 5, 2, 0, tzinfo=UTC))

        response = anonymous.get("/readyz")

        assert response.status_code == 503
        assert response.json()["missing"] == [
            "calendar: no official working-day data for the current year 2027"
        ]

    def test_not_ready_while_migrations_are_pending(self, tmp_path, settings, wf):
        engine = make_engine(f"sqlite:///{tmp_path}/old.db")
        upgrade(engine, "0001")
        app = create_app(settings, engine=engine, workflow=wf, start_scheduler=False)

        with TestClient(app) as client:
            response = client.get("/readyz")

        pending = pending_revisions(engine)
        assert response.status_code == 503
        assert pending[-1] == "0002"
        assert response.json()["missing"] == [
            f"migrations: pending migrations {', '.join(pending)}"
        ]
        engine.dispose()

    def test_a_running_scheduler_is_reported(self, settings, engine, wf):
        app = create_app(settings, engine=engine, workflow=wf, start_scheduler=True)

        with TestClient(app) as client:
            scheduler = app.state.scheduler
            scheduler.sweep()
            response = client.get("/readyz")

        assert response.status_code == 200
        assert response.json()["checks"]["scheduler"]["detail"].startswith("leading")
        assert app.state.scheduler is None
        assert not scheduler.running


class TestMetrics:
    def test_cases_transitions_deadlines_escalations_and_latency(
        self, engine, intake, office, anonymous, wf, clock
    ):
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
        case = office.get(f"/api/v1/cases/{case_id}").json()
        [answer] = [d for d in case["deadlines"] if d["kind"] == "department_answer"]
        clock.set(datetime(2026, 3, 3, 16, 30, tzinfo=UTC))  # 30 min late
        assert fire_deadline(wf, answer["id"]) == "escalate"

        text = anonymous.get("/metrics").text

        code = case["penalty"]["department_code"]
        assert (
            'credit_repair_cases{procedure="commitment",state="awaiting_confirmation"}'
            " 1.0" in text
        )
        assert (
            'credit_repair_transitions_total{event="review",machine="commitment"} 1.0'
            in text
        )
        assert (
            'credit_repair_deadlines_fired_total{kind="department_answer"} 1.0' in text
        )
        assert (
            'credit_repair_deadline_lateness_seconds_bucket{kind="department_answer",'
            'le="900"} 0.0' in text
        )
        assert (
            'credit_repair_deadline_lateness_seconds_bucket{kind="department_answer",'
            'le="3600"} 1.0' in text
        )
        assert (
            'credit_repair_deadline_lateness_seconds_sum{kind="department_answer"} 1800'
            in text
        )
        assert (
            f'credit_repair_department_escalations_total{{department="{code}"}} 1.0'
            in text
        )
        assert (
            'credit_repair_http_request_duration_seconds_count{method="POST",'
            'route="/api/v1/cases/{case_id}/events/{event}",status="200"} 2.0' in text
        )


class TestRequestIds:
    def test_a_given_request_id_is_returned_and_a_missing_one_is_made(self, anonymous):
        given = anonymous.get("/healthz", headers={"X-Request-ID": "portal-42"})
        made = anonymous.get("/healthz")
        odd = anonymous.get("/healthz", headers={"X-Request-ID": "bad id\t!"})

        assert given.headers["X-Request-ID"] == "portal-42"
        assert len(made.headers["X-Request-ID"]) == 32
        assert odd.headers["X-Request-ID"] != "bad id\t!"

    def test_the_request_id_is_bound_while_the_route_runs(self, app, office):
        router = APIRouter()

        @router.get("/api/v1/test-only/context")
        def context():
            return structlog.contextvars.get_contextvars()

        app.include_router(router)

        response = office.get(
            "/api/v1/test-only/context", headers={"X-Request-ID": "trace-7"}
        )

        assert response.json()["request_id"] == "trace-7"
        assert "request_id" not in structlog.contextvars.get_contextvars()
