"""``credit-repair import`` loads a penalty file; ``credit-repair penalties`` counts
what is stored by class, authority and province."""

import json
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from credit_repair.bootstrap import open_engine
from credit_repair.cli.context import (
    actor_from,
    echo_json,
    instant_text,
    workflow_and_engine,
)
from credit_repair.importing import (
    ImportInterrupted,
    ImportSummary,
    LayoutError,
    PastMaximumExpiry,
    SourceFileError,
    import_file,
)
from credit_repair.persistence.import_runs import list_runs, mark_stale, wall_clock
from credit_repair.persistence.penalty_counts import count_penalties
from credit_repair.workflow.noise import REASONS

SHOWN_REJECTIONS = 10
SHOWN_NOTES = 5  # per kind of warning


class LayoutChoice(StrEnum):
    national = "national"
    nfra = "nfra"


class WhereChoice(StrEnum):
    city = "city"
    national = "national"


def import_penalties(
    file: Annotated[Path, typer.Argument(help="A .csv or .xlsx penalty file.")],
    layout: Annotated[
        LayoutChoice | None,
        typer.Option(help="Column layout; detected from the header row if left out."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would happen; write nothing.")
    ] = False,
    published_where: Annotated[
        WhereChoice | None,
        typer.Option(
            help="Where the records are published (default: nfra national, else city)."
        ),
    ] = None,
    all_rejections: Annotated[
        bool,
        typer.Option(
            "--all-rejections",
            help="List every rejected row, not ten, and every warning's detail.",
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON.")
    ] = False,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Your name for the audit log.")
    ] = None,
) -> None:
    """Import penalty records from FILE, then print one summary. Records past
    their maximum period go offline at once, audited as housekeeping does."""
    wf, engine = workflow_and_engine()
    expire = PastMaximumExpiry(wf, actor_from("office", None, actor))
    try:
        with _ProgressBar(file.name) as progress:
            summary = import_file(
                engine,
                file,
                layout=layout.value if layout else None,
                dry_run=dry_run,
                clock_now=datetime.now(UTC),
                progress=progress,
                published_where=published_where.value if published_where else None,
                expire=expire,
            )
    except (SourceFileError, LayoutError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except ImportInterrupted as stopped:
        _print_summary(stopped.summary, as_json, all_rejections)
        typer.echo(f"STOPPED: {stopped}", err=True)
        code = 130 if isinstance(stopped.__cause__, KeyboardInterrupt) else 1
        raise typer.Exit(code) from None
    _print_summary(summary, as_json, all_rejections)


def penalties(
    top: Annotated[int, typer.Option(help="How many authorities to list.")] = 15,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the counts as JSON.")
    ] = False,
) -> None:
    """Count stored penalty records by class, authority and province."""
    counts = count_penalties(open_engine(), top=top)
    if as_json:
        typer.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        return
    typer.echo(f"records: {counts['records']} ({counts['published']} published)")
    _table("by class", counts["by_class"])
    shown, known = len(counts["by_authority"]), counts["authorities"]
    _table(f"by authority (top {shown} of {known})", counts["by_authority"])
    _table("by province", counts["by_province"])


def import_runs(
    limit: Annotated[int, typer.Option(help="How many of the latest runs.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the latest import runs. A run still 'running' whose process is gone
    (no chunk committed for 10 minutes) is marked 'interrupted' first."""
    engine = open_engine()
    with engine.begin() as conn:
        mark_stale(conn, wall_clock())
        runs = list_runs(conn, limit)
    if as_json:
        echo_json(runs)
        return
    for run in runs:
        through = f", through row {run['last_row']}" if run["last_row"] else ""
        typer.echo(
            f"run {run['id']}  {run['status']:<11}  {run['filename']}: "
            f"{run['rows_committed']} rows committed{through}; started "
            f"{instant_text(run['started_at'])}, last change "
            f"{instant_text(run['updated_at'] or run['started_at'])}"
        )
        if run["status"] == "interrupted" and run["error"]:
            typer.echo(f"    {run['error']}")
    if any(run["status"] == "interrupted" for run in runs):
        typer.echo(
            "Import an interrupted file again to load the rest: "
            "the rows already in count as unchanged."
        )


class _ProgressBar:
    """A progress callback drawing a bar on a terminal, and doing nothing elsewhere."""

    def __init__(self, name: str) -> None:
        self.bar = None
        if sys.stderr.isatty():
            self.bar = Progress(
                TextColumn(f"importing {name}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("rows"),
                transient=True,
            )
        self.task = None

    def __enter__(self):
        if self.bar is None:
            return None
        self.bar.start()
        self.task = self.bar.add_task("import", total=None)
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, done: int, total: int | None) -> None:
        self.bar.update(self.task, completed=done, total=total)


def _print_summary(summary: ImportSummary, as_json: bool, all_rejections: bool) -> None:
    if as_json:
        typer.echo(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        return
    echo = typer.echo
    mode = "DRY RUN, nothing written" if summary.dry_run else f"run {summary.run_id}"
    echo(f"{summary.filename}: layout {summary.layout}, {mode}")
    echo(f"  published {summary.published_where}")
    for label in ("read", "imported", "updated", "unchanged", "rejected"):
        echo(f"  {label:<10}{getattr(summary, label):>8}")
    for reason, n in sorted(summary.rejected_by_reason.items()):
        echo(f"    {reason:<20}{n:>6}  {REASONS[reason]}")
    if summary.warnings_by_kind:
        echo("  warnings")
    for kind, n in sorted(summary.warnings_by_kind.items()):
        rows = ", ".join(map(str, summary.warning_rows.get(kind, [])))
        echo(f"    {kind:<22}{n:>6}  (rows {rows}{', …' if n > 5 else ''})")
        notes = [note for note in summary.warning_notes if note.kind == kind]
        for note in notes[: None if all_rejections else SHOWN_NOTES]:
            echo(f"      row {note.row}: {note.detail}")
    classes = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_class.items()))
    echo(f"  classes   {classes or '-'}")
    echo(
        f"  {'expired':<10}{summary.expired:>8}  past their maximum period: "
        + ("would go" if summary.dry_run else "taken")
        + " offline at once"
    )
    if summary.updated_rows:
        echo(f"  updated rows: {', '.join(map(str, summary.updated_rows[:20]))}")
    shown = summary.rejections[: None if all_rejections else SHOWN_REJECTIONS]
    for rejection in shown:
        echo(f"  row {rejection.row}: {rejection.reason}: {rejection.detail}")
    if len(shown) < summary.rejected:
        echo(f"  … {summary.rejected - len(shown)} more (--all-rejections lists them)")
    if summary.ignored_columns:
        echo(f"  ignored columns: {', '.join(summary.ignored_columns)}")
    if not summary.completed:
        through = summary.last_committed_row or "-"
        echo(f"  chunks committed: {summary.chunks_committed}, through row {through}")


def _table(title: str, rows: list) -> None:
    typer.echo(title)
    for name, n in rows:
        typer.echo(f"  {n:>7}  {name}")
