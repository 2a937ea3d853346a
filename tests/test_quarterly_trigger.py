"""The quarterly trigger: the batch starts on the first working day of the
quarter from the calendar, once, whatever restarts and holidays come between."""

from datetime import date, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from credit_repair.bootstrap import build_scheduler
from credit_repair.persistence.tables import Batch
from credit_repair.scheduler.batches import quarterly_jobs
from credit_repair.settings import Settings
from credit_repair.workflow import batches
from credit_repair.workflow.errors import Conflict
from credit_repair.workflow.model import SCHEDULER
from tests.batch_support import SHANGHAI, local, restart, workflow

pytestmark = pytest.mark.storage


def started(engine) -> list[tuple[str, date, object]]:
    """Quarter, as-of day and start instant (Shanghai) of every batch."""
    table = Batch.__table__
    with engine.connect() as conn:
        rows = conn.execute(
            select(table.c.quarter, table.c.as_of, table.c.created_at).order_by(
                table.c.id
            )
        )
        return [(q, d, at.astimezone(SHANGHAI)) for q, d, at in rows]


def run_hourly(engine, database_url, clock, first, last, restart_at=None):
    """The job at minute 5 of every hour from ``first`` to ``last`` (Shanghai),
    the process restarting once at ``restart_at``."""
    wf = workflow(engine, clock)
    at = first
    while at <= last:
        if at == restart_at:
            engine, wf = restart(engine, database_url, clock)
        clock.set(at)
        [(_id, job, _trigger)] = quarterly_jobs(wf, engine)
        job()
        at += timedelta(hours=1)
    return engine


def test_new_year_2026_starts_on_the_exchanged_sunday_once(database_url, engine, clock):
    engine = run_hourly(
        engine,
        database_url,
        clock,
        local(2025, 12, 31, 0, 5),
        local(2026, 1, 6, 23, 5),
        restart_at=local(2026, 1, 4, 12, 5),
    )
    assert started(engine) == [
        ("2026Q1", date(2026, 1, 4), local(2026, 1, 4, 0, 5).astimezone(SHANGHAI))
    ]
    engine.dispose()


def test_national_day_2026_moves_the_start_to_october_8(database_url, engine, clock):
    engine = run_hourly(
        engine,
        database_url,
        clock,
        local(2026, 9, 30, 0, 5),
        local(2026, 10, 10, 23, 5),
        restart_at=local(2026, 10, 8, 0, 5),
    )
    assert started(engine) == [
        ("2026Q4", date(2026, 10, 8), local(2026, 10, 8, 0, 5).astimezone(SHANGHAI))
    ]
    engine.dispose()


def test_a_service_down_on_the_start_day_starts_when_it_is_back(
    database_url, engine, clock
):
    run_hourly(
        engine, database_url, clock, local(2026, 4, 2, 10, 5), local(2026, 4, 2, 12, 5)
    )
    run_hourly(
        engine, database_url, clock, local(2026, 8, 1, 0, 5), local(2026, 8, 1, 2, 5)
    )
    assert [(q, d) for q, d, _ in started(engine)] == [("2026Q2", date(2026, 4, 2))]


def test_a_second_start_of_the_same_quarter_is_refused(engine, clock):
    clock.set(local(2026, 4, 1, 0, 5))
    wf = workflow(engine, clock)
    batches.start_batch(wf, SCHEDULER, quarter="2026Q2")
    with pytest.raises(Conflict, match="2026Q2"):
        batches.start_batch(wf, SCHEDULER, quarter="2026Q2")


def test_the_job_runs_at_minute_5_of_every_hour_in_shanghai(engine, clock):
    [(job_id, _job, trigger)] = quarterly_jobs(workflow(engine, clock), engine)
    cron = CronTrigger(**{k: v for k, v in trigger.items() if k != "trigger"})
    before = local(2026, 1, 3, 23, 50).astimezone(SHANGHAI)
    assert job_id == "batch_quarterly"
    assert cron.get_next_fire_time(None, before) == local(2026, 1, 4, 0, 5)


def test_the_served_scheduler_carries_the_quarterly_job(database_url, engine, clock):
    wf = workflow(engine, clock)
    scheduler = build_scheduler(wf, engine, Settings(database_url=database_url))
    jobs = {job_id: (job, trigger) for job_id, job, trigger in scheduler.periodic}
    assert set(jobs) == {"housekeeping", "batch_quarterly"}

    clock.set(local(2026, 4, 1, 0, 5))  # Q2's first working day
    job, trigger = jobs["batch_quarterly"]
    job()

    assert trigger == {"trigger": "cron", "minute": 5, "timezone": "Asia/Shanghai"}
    assert [(q, d) for q, d, _at in started(engine)] == [("2026Q2", date(2026, 4, 1))]
