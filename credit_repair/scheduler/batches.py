"""The quarterly batch job for the deadline scheduler.

It runs every hour at minute 5, Asia/Shanghai. On the quarter's first working day
(from the working-day calendar) the 00:05 run starts the batch; a process that
was down then starts it within an hour of coming back, up to the end of the
quarter's first month. The quarter label is unique in the database, so restarts
and a second process never start a quarter twice. Each run also finishes any
screening that a stopped process left unfinished.
"""

import structlog
from sqlalchemy import Engine

from credit_repair.scheduler.runner import PeriodicJob
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.quarterly import run_quarterly

log = structlog.get_logger("credit_repair.scheduler")

TRIGGER = {"trigger": "cron", "minute": 5, "timezone": "Asia/Shanghai"}


def quarterly_jobs(wf: Workflow, engine: Engine) -> list[PeriodicJob]:
    """The periodic jobs to hand to ``DeadlineScheduler(periodic=…)``. They work
    through ``wf``'s units of work; ``engine`` is accepted so that every job
    factory of the scheduler is called the same way."""

    def start_due_batch() -> None:
        run = run_quarterly(wf)
        for batch_id in run.resumed:
            log.info("batch_screening_resumed", batch_id=batch_id)
        if run.started is not None:
            batch = run.started
            log.info(
                "batch_started",
                batch_id=batch.id,
                quarter=batch.quarter,
                items=batch.item_count,
            )

    return [("batch_quarterly", start_due_batch, dict(TRIGGER))]
