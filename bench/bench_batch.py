"""Benchmark of quarterly batch repair: screening generated records into a batch,
the departments' answers, and completing the batch, each beside hand-written SQL
that does the same selection or changes without the audit trail.

    python -m bench.bench_batch [--rows 1000000] [--complete 100000]
                                [--postgres postgresql+psycopg://user@host/db]

``--postgres`` names a database to connect to; the benchmark creates and drops
its own database next to it. Peak memory is the process's high-water mark.
"""

import argparse
import contextlib
import resource
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from bench.batch_data import fill
from credit_repair.persistence.batch_views import department_items
from credit_repair.persistence.db import make_engine
from credit_repair.persistence.migrate import upgrade
from credit_repair.persistence.stores.deadlines import pending_deadlines
from credit_repair.persistence.unit_of_work import SqlUnitOfWork
from credit_repair.workflow import batch_confirmation, batch_review, batches
from credit_repair.workflow.batch_confirmation import ItemAnswer
from credit_repair.workflow.calendar import WorkingCalendar
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.firing import fire_deadline
from credit_repair.workflow.model import Actor
from credit_repair.workflow.regimes import load_regime
from credit_repair.workflow.screening import screening_criteria

AS_OF = date(2026, 4, 1)
SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = Actor("benchmark", "office")
ALL_ELIGIBLE = (190, 359)  # days: past every minimum, before every maximum

SELECTION = """
INSERT INTO bench_selection
SELECT r.id, r.department_id, r.company_id, r.penalty_class,
       COALESCE(r.decision_date, r.published_on)
FROM penalty_record r
WHERE r.is_published
  AND ((r.penalty_class = 'general'
        AND COALESCE(r.decision_date, r.published_on) > :general_after
        AND COALESCE(r.decision_date, r.published_on) <= :general_through)
    OR (r.penalty_class IN ('severe', 'specific_severe')
        AND COALESCE(r.decision_date, r.published_on) > :severe_after
        AND COALESCE(r.decision_date, r.published_on) <= :severe_through))
  AND NOT EXISTS (SELECT 1 FROM repair_case c
                  WHERE c.penalty_id = r.id AND c.is_open)
  AND NOT EXISTS (SELECT 1 FROM batch_item i
                  WHERE i.penalty_id = r.id AND i.is_open)
"""
ANSWERS = """
UPDATE batch_item SET state = 'confirmed', fulfilled = true, answered_at = :at,
       answered_by = 'bench', version = version + 1, updated_at = :at
WHERE batch_id = :batch AND state = 'candidate'
"""
COMPLETION = [
    """UPDATE batch_item SET state = 'repaired', is_open = false,
              version = version + 1, updated_at = :at
       WHERE batch_id = :batch AND state = 'confirmed'""",
    """INSERT INTO publication_change
              (penalty_id, action, published, reason, stream, occurred_at)
       SELECT i.penalty_id, 'taken_down', false, 'bench', 'batch_item:' || i.id, :at
       FROM batch_item i JOIN penalty_record r ON r.id = i.penalty_id
       WHERE i.batch_id = :batch AND i.state = 'repaired' AND r.is_published""",
    """UPDATE penalty_record SET is_published = false, updated_at = :at
       WHERE is_published AND id IN (SELECT penalty_id FROM batch_item
                                     WHERE batch_id = :batch AND state = 'repaired')""",
    """INSERT INTO notification
              (recipient, kind, text, stream, status, created_at, payload)
       SELECT 'company:' || company_id, 'bench', 'bench', 'batch', 'pending', :at, '{}'
       FROM batch_item WHERE batch_id = :batch AND state = 'repaired'
       GROUP BY company_id""",
]


def run(
    rows: int = 1_000_000, complete: int = 100_000, postgres: str | None = None
) -> list[dict]:
    """One result row per measurement and database."""
    results = []
    for backend in ["sqlite"] + (["postgresql"] if postgres else []):
        with _database(backend, postgres) as engine:
            results.append(_screening(engine, backend, rows))
        with _database(backend, postgres) as engine:
            results += _completion(engine, backend, complete)
    return results


def _screening(engine: Engine, backend: str, rows: int) -> dict:
    fill(engine, rows, AS_OF)
    wf, _clock = _workflow(engine)
    windows = _windows(wf)
    baseline = _rolled_back(engine, [SELECTION], windows, scratch=True)
    batch, seconds = _timed(lambda: batches.start_batch(wf, OFFICE))
    return _result(f"screen {rows:,} records", backend, seconds, baseline, rows,
                   items=batch.item_count)  # fmt: skip


def _completion(engine: Engine, backend: str, records: int) -> list[dict]:
    fill(engine, records, AS_OF, ALL_ELIGIBLE)
    wf, clock = _workflow(engine)
    batch = batches.start_batch(wf, OFFICE)
    values = {"batch": batch.id, "at": clock.now()}
    baseline = _rolled_back(engine, [ANSWERS], values)
    _ignored, answering = _timed(lambda: _answer_everything(wf, engine, batch.id))
    clock.set(2026, 4, 8, 0, 5)
    fire_deadline(wf, _pending(engine))
    batch_review.approve_review(wf, batch.id, OFFICE)
    clock.set(2026, 4, 10, 0, 5)
    values["at"] = clock.now()
    completion_baseline = _rolled_back(engine, COMPLETION, values)
    _event, seconds = _timed(lambda: fire_deadline(wf, _pending(engine)))
    items = batch.item_count
    return [
        _result(f"answer {items:,} items", backend, answering, baseline, items),
        _result(f"complete {items:,} items", backend, seconds, completion_baseline,
                items),
    ]  # fmt: skip


def _answer_everything(wf: Workflow, engine: Engine, batch_id: int) -> None:
    with engine.connect() as conn:
        rows = department_items(conn, batch_id)
    by_department: dict[str, list[ItemAnswer]] = {}
    for row in rows:
        answers = by_department.setdefault(row["department_code"], [])
        answers.append(ItemAnswer(row["item_id"], True))
    for code, answers in by_department.items():
        batch_confirmation.confirm_items(wf, batch_id, code, answers, OFFICE)


def _windows(wf: Workflow) -> dict:
    criteria = screening_criteria(wf.regime, AS_OF)
    general, severe = criteria.window("general"), criteria.window("severe")
    return {
        "general_after": general.started_after,
        "general_through": general.started_through,
        "severe_after": severe.started_after,
        "severe_through": severe.started_through,
    }


def _rolled_back(engine, statements, values, scratch: bool = False) -> float:
    """Seconds the hand-written statements take; their changes are undone."""
    with engine.connect() as conn:
        transaction = conn.begin()
        if scratch:
            conn.execute(
                text(
                    "CREATE TEMPORARY TABLE bench_selection (penalty_id INTEGER, "
                    "department_id INTEGER, company_id INTEGER, "
                    "penalty_class VARCHAR(20), period_start DATE)"
                )
            )
        start = time.perf_counter()
        for statement in statements:
            conn.execute(text(statement), values)
        seconds = time.perf_counter() - start
        transaction.rollback()
    return seconds


def _pending(engine: Engine) -> int:
    with engine.connect() as conn:
        return min(deadline_id for deadline_id, _due in pending_deadlines(conn))


def _timed(action: Callable):
    start = time.perf_counter()
    outcome = action()
    return outcome, time.perf_counter() - start


def _result(name, backend, seconds, baseline, count, items=None) -> dict:
    return {
        "name": f"{name} ({backend})",
        "seconds": round(seconds, 2),
        "ours_per_s": round(count / seconds),
        "baseline_per_s": round(count / baseline) if baseline else None,
        "ratio": round(baseline / seconds, 3) if baseline else None,
        "baseline_seconds": round(baseline, 2),
        "items": count if items is None else items,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


class _Clock:
    """Business time set by the benchmark, in Shanghai."""

    def __init__(self) -> None:
        self.set(2026, 4, 1, 9, 0)

    def set(self, *args) -> None:
        self.instant = datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)

    def now(self) -> datetime:
        return self.instant


def _workflow(engine: Engine) -> tuple[Workflow, _Clock]:
    clock = _Clock()
    wf = Workflow(
        unit_of_work=lambda: SqlUnitOfWork(engine, clock),
        clock=clock,
        calendar=WorkingCalendar(),
        regime=load_regime("kunming-2020"),
    )
    return wf, clock


@contextlib.contextmanager
def _database(backend: str, postgres: str | None) -> Iterator[Engine]:
    """A migrated, empty database that is thrown away afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(f"sqlite:///{folder}/bench.db")
            upgrade(engine)
            yield engine
            engine.dispose()
        return
    name = f"credit_repair_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres).set(database=name).render_as_string(False)
    engine = make_engine(url)
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _print(results: list[dict]) -> None:
    print(f"{'':38} {'seconds':>8} {'per s':>9} {'bare s':>7} {'ratio':>6} "
          f"{'peak MB':>8}")  # fmt: skip
    for r in results:
        print(
            f"{r['name']:38} {r['seconds']:>8} {r['ours_per_s']:>9,} "
            f"{r['baseline_seconds']:>7} {r['ratio']:>6} {r['peak_rss_mb']:>8}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--complete", type=int, default=100_000)
    parser.add_argument("--postgres", help="SQLAlchemy URL of a PostgreSQL database")
    args = parser.parse_args()
    _print(run(args.rows, args.complete, args.postgres))


if __name__ == "__main__":
    main()
