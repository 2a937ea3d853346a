"""Run every benchmark and write one Markdown report of figures and ratios.

    python -m bench [--postgres URL] [--output bench/results/latest.md] [--quick]

Each ``bench_*`` module offers ``run()`` returning rows with ``name``,
``ours_per_s``, ``baseline_per_s`` and ``ratio`` (more keys are shown as notes).
A module that can use PostgreSQL takes ``postgres=URL`` and then measures on
SQLite and on PostgreSQL in one call.
"""

import argparse
import importlib
import inspect
import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

MODULES = [
    "bench.bench_deadlines",
    "bench.bench_import",
    "bench.bench_lifecycle",
    "bench.bench_http",
    "bench.bench_batch",
]
QUICK = {"rows": 20_000, "cases": 300}
_SHOWN = {"name", "ours_per_s", "baseline_per_s", "ratio"}


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _call(run, postgres: str | None, quick: bool) -> list[dict]:
    accepted = inspect.signature(run).parameters
    kwargs = {k: v for k, v in QUICK.items() if quick and k in accepted}
    if postgres and "postgres" in accepted:
        kwargs["postgres"] = postgres
    return run(**kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description="Run every benchmark in bench/.")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"))
    parser.add_argument("--output", default="bench/results/latest.md")
    parser.add_argument("--quick", action="store_true", help="smaller data sets")
    args = parser.parse_args()

    lines = [
        "# Benchmark report",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · {platform.machine()}"
        + (" · PostgreSQL included" if args.postgres else " · SQLite only"),
        "",
        "| benchmark | ours | baseline | ratio | notes |",
        "|---|---:|---:|---:|---|",
    ]
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:  # the module is there but cannot import
                raise
            continue
        started = time.perf_counter()
        for row in _call(module.run, args.postgres, args.quick):
            notes = "; ".join(
                f"{k} {_number(v)}" for k, v in row.items() if k not in _SHOWN
            )
            lines.append(
                f"| {row['name']} | {_number(row.get('ours_per_s'))} | "
                f"{_number(row.get('baseline_per_s'))} | {_number(row.get('ratio'))} | "
                f"{notes} |"
            )
        print(f"{name}: {time.perf_counter() - started:.1f} s", flush=True)

    lines += [
        "",
        "Figures are per second unless the row says otherwise; ratio = ours / "
        "baseline. Timings vary with load: compare ratios from one run.",
    ]
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
