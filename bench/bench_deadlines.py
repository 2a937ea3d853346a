"""Deadline computations and eligibility checks per second, each beside a naive
reference: stepping day by day through ``chinese_calendar.is_workday`` for
deadlines, re-reading the regime file for every eligibility check.

Run from the repository root: ``python -m bench.bench_deadlines``.
"""

import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from importlib import resources

import chinese_calendar

from credit_repair.workflow.calendar import WorkingCalendar
from credit_repair.workflow.deadlines import BUSINESS_TZ, days_after, working_days_after
from credit_repair.workflow.eligibility import (
    CompanyFacts,
    RecordFacts,
    check_eligibility,
)
from credit_repair.workflow.regimes import load_regime, parse_regime

SEED = 20260930
SAMPLES = 2000
SECONDS_PER_SIDE = 0.8
FIRST = datetime(2025, 1, 1, tzinfo=UTC)
LAST = datetime(2026, 11, 30, tzinfo=UTC)  # 7 working days stay inside 2026


def random_instants(rng: random.Random, count: int) -> list[datetime]:
    """Aware instants spread uniformly over 2025–2026."""
    span = int((LAST - FIRST).total_seconds())
    return [FIRST + timedelta(seconds=rng.randrange(span)) for _ in range(count)]


def naive_due(start: datetime, n: int, working: bool) -> datetime:
    """Reference: step day by day asking chinese_calendar about every day."""
    day = start.astimezone(BUSINESS_TZ).date()
    if working:
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            counted += chinese_calendar.is_workday(day)
    else:
        day += timedelta(days=n)
        while not chinese_calendar.is_workday(day):
            day += timedelta(days=1)
    midnight = datetime.combine(day + timedelta(days=1), clock_time(), BUSINESS_TZ)
    return midnight.astimezone(UTC)


def per_second(operation: Callable[[object], object], items: Sequence) -> float:
    """Operations per second over ``items``, repeated for about SECONDS_PER_SIDE."""
    done, began = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - began) < SECONDS_PER_SIDE:
        for item in items:
            operation(item)
        done += len(items)
    return done / elapsed


def random_records(rng: random.Random, count: int) -> list[RecordFacts]:
    classes = ["minor", "general", "severe", "specific_severe"]
    return [
        RecordFacts(
            penalty_class=rng.choice(classes),
            decision_date=date(2022, 1, 1) + timedelta(days=rng.randrange(1600)),
            published_on=None,
            is_published=rng.random() < 0.95,
            published_where=rng.choice(["city", "national"]),
            fulfilled=rng.choice([True, False, None]),
        )
        for _ in range(count)
    ]


def deadline_rows(rng: random.Random) -> list[dict]:
    calendar = WorkingCalendar()
    starts = random_instants(rng, SAMPLES)
    cases = [
        ("working_days_after n=1", working_days_after, 1, True),
        ("working_days_after n=7", working_days_after, 7, True),
        ("days_after n=7", days_after, 7, False),
    ]
    rows = []
    for name, compute, n, working in cases:
        for start in starts[:200]:
            assert compute(calendar, start, n).due_at == naive_due(start, n, working)
        ours = per_second(lambda s, c=compute, n=n: c(calendar, s, n), starts)
        baseline = per_second(lambda s, n=n, w=working: naive_due(s, n, w), starts)
        rows.append(_row(name, ours, baseline))
    return rows


def eligibility_row(rng: random.Random) -> dict:
    regime = load_regime("kunming-2020")
    text = _regime_text("kunming-2020")
    records = random_records(rng, SAMPLES)
    company = CompanyFacts()
    today = date(2026, 6, 1)
    documents = {"commitment_letter"}

    def ours(record: RecordFacts) -> object:
        return check_eligibility(
            record, company, "commitment", regime, today, documents
        )

    def baseline(record: RecordFacts) -> object:
        reread = parse_regime(text, "kunming-2020")
        return check_eligibility(
            record, company, "commitment", reread, today, documents
        )

    return _row(
        "check_eligibility (vs regime re-read per check)",
        per_second(ours, records),
        per_second(baseline, records[:200]),
    )


def _regime_text(name: str) -> str:
    path = resources.files("credit_repair") / "regimes" / f"{name}.toml"
    return path.read_text(encoding="utf-8")


def _row(name: str, ours: float, baseline: float) -> dict:
    return {
        "name": name,
        "ours_per_s": round(ours),
        "baseline_per_s": round(baseline),
        "ratio": round(ours / baseline, 1),
    }


def run() -> list[dict]:
    """Every measurement of this module, seeded so runs compare."""
    rng = random.Random(SEED)
    return [*deadline_rows(rng), eligibility_row(rng)]


def main() -> None:
    rows = run()
    width = max(len(row["name"]) for row in rows)
    print(f"{'benchmark':<{width}}  {'ours/s':>10}  {'naive/s':>10}  {'ratio':>7}")
    for row in rows:
        print(
            f"{row['name']:<{width}}  {row['ours_per_s']:>10,}  "
            f"{row['baseline_per_s']:>10,}  {row['ratio']:>6}x"
        )


if __name__ == "__main__":
    main()
