"""``credit-repair calendar`` (load and show working-day year tables) and
``credit-repair deadline`` (compute a due instant and explain it)."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from chinese_calendar import Holiday

from credit_repair.bootstrap import build_workflow, open_engine
from credit_repair.cli.context import actor_from, instant_text
from credit_repair.persistence.calendar_store import (
    OFFICIAL_LABEL,
    load_calendar,
    store_year_tables,
)
from credit_repair.settings import get_settings
from credit_repair.workflow.calendar import DayOverride, consecutive_runs
from credit_repair.workflow.calendar_file import read_calendar_file
from credit_repair.workflow.deadlines import (
    Deadline,
    days_after,
    weekday_date,
    working_days_after,
)
from credit_repair.workflow.recalendar import recompute_open_deadlines

app = typer.Typer(no_args_is_help=True, help="Working-day calendar (工作日).")


@app.command()
def load(
    file: Annotated[Path, typer.Argument(help="TOML file of whole year tables.")],
) -> None:
    """Load official year tables (holidays and exchanged workdays) into the database.

    Loading the same table again changes nothing; a different table for a year
    replaces the stored one.
    """
    engine = open_engine()
    try:
        table = read_calendar_file(file, label=OFFICIAL_LABEL)
        loads = store_year_tables(engine, table, loaded_at=datetime.now(UTC))
    except ValueError as exc:  # CalendarFileError included
        raise typer.BadParameter(str(exc), param_hint="FILE") from exc
    for result in loads:
        typer.echo(
            f"{result.year}: {result.outcome} ({result.holidays} holiday days, "
            f"{result.exchanged_workdays} exchanged workdays) from {result.source}"
        )
    wf = build_workflow(engine)
    typer.echo(f"calendar version: {wf.calendar.version}")
    moved = recompute_open_deadlines(wf, actor_from("office", None, None))
    for change in moved:
        typer.echo(
            f"{change.subject} {change.kind}: {change.old_due_at} → {change.new_due_at}"
            + (" (provisional)" if change.provisional else "")
            + (f", {change.status}" if change.status != "pending" else "")
            + (f", due and fired: {change.fired}" if change.fired else "")
        )
    typer.echo(f"{len(moved)} open deadline(s) recomputed")


@app.command()
def show(year: Annotated[int, typer.Argument(help="e.g. 2026")]) -> None:
    """Print a year's holidays and exchanged workdays, and whether it is provisional."""
    calendar = load_calendar(open_engine(), get_settings())
    table = calendar.year_table(year)
    typer.echo(f"{year} from {table.source}; calendar version: {calendar.version}")
    if table.provisional:
        typer.echo(f"PROVISIONAL: {table.provisional_reason}")
    typer.echo("holidays:")
    for line in _runs(table.holidays) or ["  (none known)"]:
        typer.echo(line)
    typer.echo("exchanged workdays (weekend days worked):")
    for line in _runs(table.exchanged_workdays) or ["  (none)"]:
        typer.echo(line)


def deadline(
    start: Annotated[
        str,
        typer.Option(
            "--from", help="Start instant, ISO 8601 with a zone: 2026-09-30T16:00+08:00"
        ),
    ],
    working_days: Annotated[
        int | None, typer.Option(min=0, help="N working days after the start.")
    ] = None,
    days: Annotated[
        int | None, typer.Option(min=0, help="N calendar days after the start.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Compute a deadline: due instant, provisional flag, calendar version, reason."""
    if (working_days is None) == (days is None):
        raise typer.BadParameter(
            "give exactly one of --working-days N or --days N",
            param_hint="--working-days / --days",
        )
    instant = _aware_instant(start)
    settings = get_settings()
    calendar = load_calendar(open_engine(settings), settings)
    tz = ZoneInfo(settings.timezone)
    if working_days is not None:
        result = working_days_after(calendar, instant, working_days, tz)
    else:
        result = days_after(calendar, instant, days, tz)
    typer.echo(_deadline_json(result) if as_json else _deadline_text(result))


def _aware_instant(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(
            f"{text!r} is not an ISO 8601 instant", param_hint="--from"
        ) from exc
    if instant.utcoffset() is None:
        raise typer.BadParameter(
            f"{text!r} has no time zone; add one, e.g. {text}+08:00",
            param_hint="--from",
        )
    return instant


def _deadline_text(result: Deadline) -> str:
    provisional = f"yes: {result.provisional_reason}" if result.provisional else "no"
    return "\n".join(
        [
            f"due (local): {result.local_due.isoformat()} "
            f"(end of {result.last_day.isoformat()})",
            f"due (UTC):   {instant_text(result.due_at)}",
            f"provisional: {provisional}",
            f"calendar:    {result.calendar_version}",
            result.explain(),
        ]
    )


def _deadline_json(result: Deadline) -> str:
    answer = {
        "inputs": result.inputs(),
        "last_day": result.last_day.isoformat(),
        "due_at": instant_text(result.due_at),
        "provisional": result.provisional,
        "provisional_reason": result.provisional_reason,
        "explanation": result.explain(),
    }
    return json.dumps(answer, ensure_ascii=False, indent=2)


def _runs(days: tuple[DayOverride, ...]) -> list[str]:
    lines = []
    for first, last, name in consecutive_runs((d.day, d.name) for d in days):
        span = weekday_date(first)
        if last != first:
            span = f"{first:%m-%d}..{last:%m-%d}"
        count = (last - first).days + 1
        length = f" ({count} days)" if count > 1 else ""
        lines.append(f"  {span:<15} {_with_chinese(name)}{length}")
    return lines


def _with_chinese(name: str | None) -> str:
    """``National Day 国庆节`` for the package's English holiday names."""
    if name is None:
        return "(unnamed)"
    try:
        return f"{name} {Holiday(name).chinese}"
    except ValueError:
        return name
