"""Wiring: builds the engine, the workflow and the scheduler from the settings."""

from datetime import UTC, datetime

from sqlalchemy import Engine

from credit_repair.logs import configure_logging
from credit_repair.persistence.calendar_store import load_calendar
from credit_repair.persistence.db import make_engine
from credit_repair.persistence.migrate import upgrade
from credit_repair.persistence.unit_of_work import SqlUnitOfWork
from credit_repair.scheduler.batches import quarterly_jobs
from credit_repair.scheduler.housekeeping import housekeeping_jobs
from credit_repair.scheduler.runner import DeadlineScheduler
from credit_repair.settings import Settings, get_settings
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.ports import Clock
from credit_repair.workflow.regimes import load_regime


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def open_engine(settings: Settings | None = None, *, migrate: bool = True) -> Engine:
    """An engine on the configured database, its schema upgraded unless told not to."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format)
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    return engine


def build_workflow(
    engine: Engine, settings: Settings | None = None, clock: Clock | None = None
) -> Workflow:
    """The service layer on ``engine``, with the configured regime and calendar."""
    settings = settings or get_settings()
    clock = clock or SystemClock()
    return Workflow(
        unit_of_work=lambda: SqlUnitOfWork(engine, clock),
        clock=clock,
        calendar=load_calendar(engine, settings),
        regime=load_regime(settings.regime),
        instant_answer_working_days=settings.instant_answer_working_days,
    )


def build_scheduler(
    wf: Workflow, engine: Engine, settings: Settings | None = None
) -> DeadlineScheduler:
    """The deadline scheduler with every periodic job: housekeeping, deliveries
    and the quarterly batch on the first working day of each quarter."""
    settings = settings or get_settings()
    return DeadlineScheduler(
        wf,
        engine,
        settings.scheduler_sweep_seconds,
        periodic=housekeeping_jobs(wf, engine, settings) + quarterly_jobs(wf, engine),
    )
