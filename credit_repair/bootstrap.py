"""Wiring: builds the engine, the workflow and the scheduler from the settings."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from credit_repair.logs import configure_logging
from credit_repair.persistence.calendar_store import load_calendar
from credit_repair.persistence.db import make_engine
from credit_repair.persistence.migrate import upgrade
from credit_repair.persistence.unit_of_work import SqlUnitOfWork
from credit_repair.scheduler.batches import quarterly_jobs
from credit_repair.scheduler.housekeeping import HOUSEKEEPING_JOB, housekeeping_jobs
from credit_repair.scheduler.runner import DeadlineScheduler
from credit_repair.settings import (
    ConfigurationError,
    Settings,
    get_settings,
    variable,
)
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.ports import Clock
from credit_repair.workflow.regimes import load_regime


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


DATABASE_URL = variable("database_url")


def sqlite_file(url: str) -> Path | None:
    """The absolute path of an SQLite database file; None for other databases
    and for SQLite in memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        return None
    if parsed.query.get("uri"):
        return None  # a file: URI, which sqlite3 resolves itself
    return Path(parsed.database).resolve()


def database_location(url: str) -> str:
    """Where ``url`` points, for logs and messages: an SQLite file's absolute path,
    or the URL with its password hidden."""
    path = sqlite_file(url)
    return str(path) if path else make_url(url).render_as_string(hide_password=True)


def open_engine(
    settings: Settings | None = None, *, migrate: bool = True, create: bool = False
) -> Engine:
    """An engine on the configured database, its schema upgraded unless told not to.

    Only ``create`` (serve, scheduler, ``db upgrade``) makes a new SQLite file;
    otherwise a missing file is a ``ConfigurationError`` naming its absolute path,
    and so is a database that does not answer."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format)
    url = settings.database_url
    path = sqlite_file(url)
    if path is not None and not create and not path.exists():
        raise ConfigurationError([_missing(url, path)])
    engine = make_engine(url)
    try:
        engine.connect().close()
    except DBAPIError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        where = database_location(url)
        raise ConfigurationError(
            [f"{DATABASE_URL}: cannot connect to {where}: {reason}"]
        ) from None
    if migrate:
        upgrade(engine)
    return engine


def _missing(url: str, path: Path) -> str:
    relative = not make_url(url).database.startswith("/")
    return (
        f"{DATABASE_URL}: no database at {path}"
        + (f" ({url} is relative to the current directory)" if relative else "")
        + f"; run the command in the service's folder or set {DATABASE_URL}="
        "sqlite:////path/to/credit-repair.db (the path `serve` logs as `database`"
        " when it starts); `credit-repair db upgrade` creates a new database"
    )


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
    """The deadline scheduler with every periodic job: housekeeping (daily, and
    once when this process takes the lead), deliveries and the quarterly batch on
    the first working day of each quarter."""
    settings = settings or get_settings()
    return DeadlineScheduler(
        wf,
        engine,
        settings.scheduler_sweep_seconds,
        periodic=housekeeping_jobs(wf, engine, settings) + quarterly_jobs(wf, engine),
        catch_up=(HOUSEKEEPING_JOB,),
    )
