"""The ``credit-repair`` command line: serve, schedule, import, replay and verify."""

import typer

from credit_repair.cli import audit, batches, cases, database, diagram

app = typer.Typer(
    no_args_is_help=True,
    help="Credit-repair (信用修复) case service of the city credit office.",
    pretty_exceptions_enable=False,
)
app.add_typer(database.app, name="db")
app.add_typer(cases.app, name="case")
app.add_typer(audit.app, name="audit")
app.add_typer(batches.app, name="batch")
app.command()(diagram.diagram)


def main() -> None:
    """Console-script entry point."""
    app()
