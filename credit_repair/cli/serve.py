"""``credit-repair serve`` (the API, and by default the scheduler, in one process)
and ``credit-repair scheduler`` (the scheduler alone, for running them apart)."""

import signal
import threading

import structlog
import typer
import uvicorn

from credit_repair.app import create_app
from credit_repair.bootstrap import (
    build_scheduler,
    build_workflow,
    database_location,
    open_engine,
)
from credit_repair.logs import configure_logging
from credit_repair.settings import get_settings

log = structlog.get_logger("credit_repair.cli")
GRACEFUL_SECONDS = 30


def serve(
    no_scheduler: bool = typer.Option(
        False, "--no-scheduler", help="Run the API only (scheduler runs apart)."
    ),
    host: str = typer.Option(None, help="Default: CREDIT_REPAIR_HOST."),
    port: int = typer.Option(None, help="Default: CREDIT_REPAIR_PORT."),
) -> None:
    """Serve the HTTP API; the schema is upgraded first. Stops on SIGTERM after the
    requests and scheduler jobs in progress finish."""
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    log.info(
        "service_starting",
        database=database_location(settings.database_url),
        scheduler=not no_scheduler,
    )
    app = create_app(settings, start_scheduler=not no_scheduler)
    uvicorn.run(
        app,
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
    )


def scheduler() -> None:
    """Fire deadlines until SIGTERM or SIGINT. With several of these on PostgreSQL
    one leads; another takes over at its next sweep when the leader dies."""
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    log.info("scheduler_starting", database=database_location(settings.database_url))
    engine = open_engine(settings, create=True)
    runner = build_scheduler(build_workflow(engine, settings), engine, settings)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    runner.start()
    leading = False
    while not stop.wait(1.0):
        if runner.leading != leading:
            leading = runner.leading
            log.info("scheduler_lead_changed", leading=leading)
    runner.shutdown(wait=True)
    engine.dispose()
