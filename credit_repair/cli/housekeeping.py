"""``credit-repair housekeeping``: the daily job by hand, or as a dry run."""

from datetime import date

import typer

from credit_repair.cli.context import (
    actor_from,
    echo_json,
    reported_errors,
    workflow_and_engine,
)
from credit_repair.scheduler.housekeeping import run_housekeeping


def housekeeping(
    dry_run: bool = typer.Option(False, "--dry-run", help="Report, change nothing."),
    as_of: str = typer.Option(
        None, "--as-of", help="Business date (YYYY-MM-DD); a later one needs --dry-run."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the full result."),
    actor: str = typer.Option(None, "--actor", help="Your name for the audit log."),
) -> None:
    """Take records past their maximum period offline; report duplicates."""
    day = None
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise typer.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None
    wf, _engine = workflow_and_engine()
    with reported_errors():
        result = run_housekeeping(wf, day, dry_run, actor_from("office", None, actor))
    if as_json:
        echo_json(result.as_dict())
        return
    verb = "would take" if dry_run else "took"
    typer.echo(
        f"as of {result.as_of} ({result.regime}): {verb} "
        f"{result.expired_count} record(s) offline past their maximum period"
    )
    for expired in result.expired:
        typer.echo(
            f"  record {expired.penalty_id} {expired.penalty_class}: "
            f"{expired.maximum_months} months from {expired.period_start_basis} "
            f"{expired.period_start} ended {expired.maximum_end}"
        )
    typer.echo(f"{result.duplicate_count} group(s) of records published twice")
    for group in result.duplicates:
        ids = ", ".join(str(i) for i in group.penalty_ids)
        typer.echo(f"  records {ids}: {', '.join(group.reasons)}")
    if result.undated:
        typer.echo(f"{result.undated} published record(s) have no date to count from")
    if result.changed_meanwhile:
        typer.echo(f"{result.changed_meanwhile} record(s) changed meanwhile, skipped")
