"""The deadline scheduler: rebuilds one APScheduler job per pending deadline from the
table, sweeps for anything due (also what fell due while the service was down),
and fires each deadline once through the service layer."""

import contextlib
import threading
from collections.abc import Callable, Collection
from datetime import UTC, datetime

import structlog
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from credit_repair.persistence.db import reading
from credit_repair.persistence.stores.deadlines import (
    deadline_subject,
    due_deadline_ids,
    pending_deadlines,
)
from credit_repair.scheduler.leader import LeaderLock
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.firing import fire_deadline

log = structlog.get_logger("credit_repair.scheduler")

PeriodicJob = tuple[str, Callable[[], object], dict]


class DeadlineScheduler:
    """Fires deadlines while this process holds the leader lock.

    The periodic jobs named in ``catch_up`` also run once as soon as this process
    takes the lead (at start, or when a leader died), so that what they would have
    done while no scheduler ran is not left until their next trigger.
    """

    def __init__(
        self,
        wf: Workflow,
        engine: Engine,
        sweep_seconds: int = 30,
        periodic: list[PeriodicJob] | None = None,
        catch_up: Collection[str] = (),
    ) -> None:
        self.wf = wf
        self.engine = engine
        self.sweep_seconds = sweep_seconds
        self.periodic = periodic or []
        self.catch_up = [job for job in self.periodic if job[0] in catch_up]
        self.lock = LeaderLock(engine)
        self.last_sweep: datetime | None = None
        self.fired = 0
        # APScheduler's shutdown holds its job-store lock while it waits for
        # running jobs; a job that then adds or removes a job would wait forever.
        # Jobs change the job store only under this lock and never once stopping.
        self._jobs_lock = threading.Lock()
        self._stopping = False
        self._scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={
                "misfire_grace_time": None,
                "coalesce": True,
                "max_instances": 1,
            },
        )

    @property
    def running(self) -> bool:
        return self._scheduler.running

    @property
    def leading(self) -> bool:
        return self.lock.held

    def start(self) -> None:
        """Start the sweep; jobs are rebuilt as soon as this process leads."""
        self._scheduler.add_job(
            self.sweep,
            "interval",
            seconds=self.sweep_seconds,
            id="sweep",
            next_run_time=datetime.now(UTC),
        )
        for job_id, func, trigger in self.periodic:
            self._scheduler.add_job(self._guarded(job_id, func), id=job_id, **trigger)
        self._scheduler.start()
        log.info("scheduler_started", sweep_seconds=self.sweep_seconds)

    def shutdown(self, wait: bool = True) -> None:
        """Stop after running jobs finish; give up the leader lock."""
        with self._jobs_lock:
            self._stopping = True
        if self._scheduler.running:
            self._scheduler.shutdown(wait=wait)
        self.lock.release()
        log.info("scheduler_stopped", fired=self.fired)

    def sweep(self) -> int:
        """Take the lead if free, fire every due deadline, and (re)build jobs."""
        was_leading = self.lock.held
        if not (self.lock.try_acquire() and self.lock.is_alive()):
            return 0
        if not was_leading:
            self._catch_up()
        self.last_sweep = datetime.now(UTC)
        fired = 0
        with reading(self.engine) as conn:
            due = due_deadline_ids(conn, self.wf.clock.now())
        for deadline_id in due:
            if self._stopping:
                break
            fired += self.fire(deadline_id) is not None
        self.rebuild_jobs()
        return fired

    def rebuild_jobs(self) -> int:
        """One date job per pending deadline, from the table."""
        with reading(self.engine) as conn:
            pending = pending_deadlines(conn)
        with self._jobs_lock:
            if self._stopping:
                return 0
            for deadline_id, due_at in pending:
                self._scheduler.add_job(
                    self.fire,
                    "date",
                    run_date=due_at,
                    args=[deadline_id],
                    id=f"deadline:{deadline_id}",
                    replace_existing=True,
                )
        return len(pending)

    def fire(self, deadline_id: int) -> str | None:
        """Fire one deadline; errors are logged with its id and never stop others."""
        structlog.contextvars.bind_contextvars(deadline_id=deadline_id)
        try:
            if not self.lock.held:
                return None
            outcome = fire_deadline(self.wf, deadline_id)
            if outcome is not None:
                self.fired += 1
                log.info("deadline_fired", outcome=outcome)
            return outcome
        except Exception:
            log.exception("deadline_failed", **self._subject_of(deadline_id))
            return None
        finally:
            structlog.contextvars.unbind_contextvars("deadline_id")
            self._forget(deadline_id)

    def _subject_of(self, deadline_id: int) -> dict:
        """The machine and subject (case or batch id) of a deadline, for the log."""
        try:
            with reading(self.engine) as conn:
                row = deadline_subject(conn, deadline_id)
        except Exception:
            return {}
        return {"machine": row[0], "subject_id": row[1]} if row else {}

    def _forget(self, deadline_id: int) -> None:
        with self._jobs_lock, contextlib.suppress(JobLookupError):
            if not self._stopping:
                self._scheduler.remove_job(f"deadline:{deadline_id}")

    def _catch_up(self) -> None:
        """Run each catch-up job once, now, beside the sweep."""
        with self._jobs_lock:
            if self._stopping:
                return
            for job_id, func, _trigger in self.catch_up:
                log.info("periodic_job_catching_up", job=job_id)
                self._scheduler.add_job(
                    self._guarded(job_id, func),
                    "date",
                    run_date=datetime.now(UTC),
                    id=f"{job_id}:catch_up",
                    replace_existing=True,
                )

    def _guarded(self, job_id: str, func: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            if not self.lock.held:
                return
            structlog.contextvars.bind_contextvars(job=job_id)
            try:
                func()
            except Exception:
                log.exception("periodic_job_failed")
            finally:
                structlog.contextvars.unbind_contextvars("job")

        return run
