"""``credit-repair batch``: run a quarterly batch repair (批量主动修复) by hand."""

import json
from datetime import date
from pathlib import Path

import typer

from credit_repair import batch_sheets
from credit_repair.cli.context import echo_json, reported_errors, workflow_and_engine
from credit_repair.persistence.batch_views import batch_report, department_items
from credit_repair.persistence.batch_views import notice as notice_view
from credit_repair.workflow import batch_confirmation, batch_review, batches
from credit_repair.workflow.model import Actor

app = typer.Typer(no_args_is_help=True, help="Quarterly batch repair.")

NAME = typer.Option(None, "--actor", help="Your name for the audit log.")


def _office(name: str | None) -> Actor:
    return Actor(name=name or "credit office", role="office")


def _show(wf, engine, batch_id: int) -> None:
    with engine.connect() as conn:
        echo_json(batch_report(conn, batch_id, wf.clock.now()))


@app.command()
def start(
    as_of: str = typer.Option(
        None, "--as-of", help="Screen as of DATE (default today)."
    ),
    actor: str = NAME,
) -> None:
    """Screen every eligible record into a new batch and ask the departments."""
    day = None
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise typer.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None
    wf, engine = workflow_and_engine()

    def progress(step: batches.ScreeningProgress) -> None:
        typer.echo(
            f"screened records up to {step.screened_through} of "
            f"{step.records_through}: {step.items} items",
            err=True,
        )

    with reported_errors():
        batch = batches.start_batch(wf, _office(actor), as_of=day, progress=progress)
        _show(wf, engine, batch.id)


@app.command()
def show(batch_id: int) -> None:
    """Print a batch: state, deadlines, counts, department timeliness."""
    wf, engine = workflow_and_engine()
    with reported_errors():
        _show(wf, engine, batch_id)


@app.command()
def items(
    batch_id: int,
    department: str = typer.Option(None, "--department", help="Department code."),
    output_format: str = typer.Option("json", "--format", help="json, csv or xlsx."),
    output: Path = typer.Option(None, "-o", "--output", help="File to write."),
) -> None:
    """Export a department's items, the list it answers in."""
    if output_format not in batch_sheets.FORMATS:
        raise typer.BadParameter("use json, csv or xlsx", param_hint="--format")
    if output_format == "xlsx" and output is None:
        raise typer.BadParameter("xlsx needs -o FILE", param_hint="--format")
    _wf, engine = workflow_and_engine()
    with reported_errors(), engine.connect() as conn:
        rows = department_items(conn, batch_id, department)
    content = {
        "json": lambda: json.dumps(rows, ensure_ascii=False, indent=2).encode(),
        "csv": lambda: batch_sheets.to_csv(rows),
        "xlsx": lambda: batch_sheets.to_xlsx(rows),
    }[output_format]()
    if output is None:
        typer.echo(content.decode("utf-8-sig"))
    else:
        output.write_bytes(content)
        typer.echo(f"{len(rows)} items written to {output}", err=True)


@app.command()
def confirm(
    batch_id: int,
    file: Path = typer.Argument(..., exists=True, dir_okay=False),
    department: str = typer.Option(..., "--department", help="Department code."),
    actor: str = NAME,
) -> None:
    """Return a department's answers: the exported list (JSON, CSV or XLSX) with
    fulfilled filled in (true/false, 是/否)."""
    kind = file.suffix.lower().lstrip(".")
    wf, _engine = workflow_and_engine()
    with reported_errors():
        if kind == "json":
            try:
                rows = json.loads(file.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise typer.BadParameter(f"not JSON: {exc}") from None
        else:
            rows = batch_sheets.read_answers(file.read_bytes(), kind)
        person = Actor(actor or f"department {department}", "department", department)
        receipt = batch_confirmation.confirm_items(
            wf, batch_id, department, rows, person
        )
        echo_json(receipt.__dict__)


@app.command()
def review(
    batch_id: int,
    exclude: list[str] = typer.Option([], "--exclude", help="ITEM=REASON"),
    approve: bool = typer.Option(False, "--approve", help="Then put it on notice."),
    actor: str = NAME,
) -> None:
    """Exclude items at review with a reason each, and/or approve the review."""
    exclusions = {}
    for spec in exclude:
        item, _, reason = spec.partition("=")
        if not item.strip().isdigit() or not reason.strip():
            raise typer.BadParameter("use ITEM=REASON", param_hint="--exclude")
        exclusions[int(item)] = reason
    wf, engine = workflow_and_engine()
    with reported_errors():
        if exclusions:
            batch_review.exclude_items(wf, batch_id, exclusions, _office(actor))
        if approve:
            batch_review.approve_review(wf, batch_id, _office(actor))
        _show(wf, engine, batch_id)


@app.command()
def close(batch_id: int, actor: str = NAME) -> None:
    """Close the confirmation phase once its deadline has passed (after a
    provisional deadline only escalated)."""
    wf, engine = workflow_and_engine()
    with reported_errors():
        batch_confirmation.close_confirmation_after_deadline(
            wf, batch_id, _office(actor)
        )
        _show(wf, engine, batch_id)


@app.command()
def complete(batch_id: int, actor: str = NAME) -> None:
    """End the public notice once its deadline has passed (after a provisional
    deadline only escalated): the remaining records go offline."""
    wf, engine = workflow_and_engine()
    with reported_errors():
        batch_review.complete_after_deadline(wf, batch_id, _office(actor))
        _show(wf, engine, batch_id)


@app.command()
def notice(batch_id: int) -> None:
    """Print the public notice as the portal publishes it."""
    _wf, engine = workflow_and_engine()
    with reported_errors(), engine.connect() as conn:
        echo_json(notice_view(conn, batch_id))


@app.command("object")
def object_to(
    batch_id: int,
    item: int,
    by: str = typer.Option(..., "--by", help="Who objects."),
    reason: str = typer.Option(..., "--reason", help="Why."),
    actor: str = NAME,
) -> None:
    """Record an objection to an item on notice; the item leaves the batch."""
    wf, engine = workflow_and_engine()
    with reported_errors():
        batch_review.object_to_item(wf, batch_id, item, by, reason, _office(actor))
        _show(wf, engine, batch_id)


@app.command()
def cancel(
    batch_id: int,
    reason: str = typer.Option("", "--reason", help="Why."),
    actor: str = NAME,
) -> None:
    """Cancel a batch; its open items are excluded and no record changes."""
    wf, engine = workflow_and_engine()
    with reported_errors():
        batches.cancel_batch(wf, batch_id, _office(actor), reason)
        _show(wf, engine, batch_id)
