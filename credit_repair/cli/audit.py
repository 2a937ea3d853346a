"""``credit-repair audit``: verify the hash chains, replay the log, export it."""

import sys

import typer

from credit_repair.bootstrap import open_engine
from credit_repair.cli.context import echo_json, parse_instant, reported_errors
from credit_repair.persistence import audit_trail
from credit_repair.persistence.db import reading
from credit_repair.persistence.views import case_owner

app = typer.Typer(no_args_is_help=True, help="The audit log.")


@app.command()
def verify() -> None:
    """Detect any changed, deleted, inserted or reordered row, and name it."""
    report = audit_trail.verify(open_engine())
    for problem in report.problems:
        typer.echo(f"TAMPERED {problem}")
    typer.echo(
        f"{_count(report.rows, 'row')} in {_count(report.streams, 'stream')} "
        f"({audit_trail.counted_by_kind(report.by_kind)}): "
        + ("chains intact" if report.ok else f"{len(report.problems)} problem(s)")
    )
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def replay(
    case: int = typer.Option(None, "--case", help="Only this case (any procedure)."),
    as_of: str = typer.Option(None, "--as-of", help="Replay up to this instant."),
) -> None:
    """Rebuild every case's state from its log through a fresh machine."""
    instant = parse_instant(as_of, "--as-of")
    if instant is not None and instant.tzinfo is None:
        raise typer.BadParameter("needs a time zone offset", param_hint="--as-of")
    engine = open_engine()
    stream = None
    if case is not None:
        with reported_errors(), reading(engine) as conn:
            stream = f"{case_owner(conn, case)[0]}:{case}"
    report = audit_trail.replay_all(engine, stream, instant)
    if instant is not None or case is not None:
        echo_json(report.states)
    for difference in report.differences:
        typer.echo(f"DIFFERS {difference}")
    typer.echo(
        f"{_count(report.transitions, 'row')} replayed in "
        f"{_count(report.streams, 'stream')} "
        f"({audit_trail.counted_by_kind(report.by_kind)}): "
        + ("all match" if report.ok else f"{len(report.differences)} differ")
    )
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def export(output: typer.FileTextWrite = typer.Option("-", "--output", "-o")) -> None:
    """Write the log as JSON lines (see the README for the hash rule)."""
    out = output if output is not None else sys.stdout
    for line in audit_trail.export_lines(open_engine()):
        out.write(line + "\n")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
