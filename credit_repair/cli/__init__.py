"""The ``credit-repair`` command line: serve, schedule, import, replay and verify."""

import sys

import typer

from credit_repair.cli import (
    audit,
    batches,
    calendar,
    cases,
    database,
    diagram,
    eligibility,
    housekeeping,
    imports,
    instant,
    notifications,
    serve,
    tokens,
)
from credit_repair.settings import ConfigurationError

app = typer.Typer(
    no_args_is_help=True,
    help="Credit-repair (信用修复) case service of the city credit office.",
    pretty_exceptions_enable=False,
)
app.add_typer(database.app, name="db")
app.add_typer(cases.app, name="case")
app.add_typer(audit.app, name="audit")
app.add_typer(calendar.app, name="calendar")
app.command("deadline")(calendar.deadline)
app.command("eligibility")(eligibility.eligibility)
app.add_typer(tokens.app, name="token")
app.command()(serve.serve)
app.command()(serve.scheduler)
app.add_typer(batches.app, name="batch")
app.command()(diagram.diagram)
app.command("import")(imports.import_penalties)
app.command("import-runs")(imports.import_runs)
app.command("penalties")(imports.penalties)
app.add_typer(instant.app, name="instant")
app.command()(housekeeping.housekeeping)
app.command()(notifications.notifications)


def main() -> None:
    """Console-script entry point. A configuration that cannot work (a setting
    that does not validate, a missing or unreachable database) is reported as one
    line per problem, naming the variable, with exit status 2."""
    try:
        app()
    except ConfigurationError as exc:
        for line in exc.lines:
            typer.echo(f"error: {line}", err=True)
        sys.exit(2)
