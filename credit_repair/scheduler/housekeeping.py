"""Periodic jobs besides the deadlines: the daily housekeeping of published records
at 01:00 business time (and once when a scheduler takes the lead, see
``bootstrap.build_scheduler``), and, when e-mail is on, sending pending
notifications."""

from dataclasses import dataclass
from datetime import date

import structlog
from sqlalchemy import Engine

from credit_repair.mail import SmtpSender
from credit_repair.persistence.notifications import Sender, deliver_pending
from credit_repair.scheduler.runner import PeriodicJob
from credit_repair.settings import Settings, get_settings
from credit_repair.workflow import housekeeping
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import BUSINESS_TZ
from credit_repair.workflow.model import SCHEDULER, Actor

log = structlog.get_logger("credit_repair.housekeeping")
HOUSEKEEPING_JOB = "housekeeping"


@dataclass
class HousekeepingTotals:
    """Counters since the process started, for the metrics endpoint."""

    runs: int = 0
    expired: int = 0
    duplicates: int = 0  # groups found by the latest run
    sent: int = 0
    failed: int = 0


totals = HousekeepingTotals()


def run_housekeeping(
    wf: Workflow,
    as_of: date | None = None,
    dry_run: bool = False,
    actor: Actor = SCHEDULER,
) -> housekeeping.HousekeepingResult:
    """One housekeeping run, summed up in one log line."""
    result = housekeeping.run(wf, as_of, dry_run, actor)
    if not dry_run:
        totals.runs += 1
        totals.expired += result.expired_count
        totals.duplicates = result.duplicate_count
    log.info(
        "housekeeping_finished",
        expired=result.expired_count,
        duplicates=result.duplicate_count,
        reported=result.reported,
        changed_meanwhile=result.changed_meanwhile,
        undated=result.undated,
        as_of=result.as_of.isoformat(),
        dry_run=dry_run,
    )
    return result


def send_notifications(engine: Engine, sender: Sender) -> None:
    """E-mail pending notifications; one log line when anything was tried."""
    report = deliver_pending(engine, sender)
    totals.sent += report.sent
    totals.failed += report.failed
    if report.sent or report.failed or report.unaddressed:
        log.info(
            "notifications_delivered",
            sent=report.sent,
            failed=report.failed,
            unaddressed=report.unaddressed,
        )


def housekeeping_jobs(
    wf: Workflow, engine: Engine, settings: Settings | None = None
) -> list[PeriodicJob]:
    """The jobs for ``DeadlineScheduler(periodic=…)``."""
    settings = settings or get_settings()
    jobs: list[PeriodicJob] = [
        (
            HOUSEKEEPING_JOB,
            lambda: run_housekeeping(wf),
            {"trigger": "cron", "hour": 1, "minute": 0, "timezone": BUSINESS_TZ},
        )
    ]
    if settings.smtp_enabled:
        sender = SmtpSender.from_settings(settings)
        jobs.append(
            (
                "notification_delivery",
                lambda: send_notifications(engine, sender),
                {"trigger": "interval", "seconds": settings.smtp_send_seconds},
            )
        )
    return jobs
