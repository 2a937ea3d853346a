"""The ``credit-repair`` command line: serve, schedule, import, replay and verify."""

import typer

from credit_repair.cli import database, imports

app = typer.Typer(
    no_args_is_help=True,
    help="Credit-repair (信用修复) case service of the city credit office.",
    pretty_exceptions_enable=False,
)
app.add_typer(database.app, name="db")
app.command("import")(imports.import_penalties)
app.command("penalties")(imports.penalties)


def main() -> None:
    """Console-script entry point."""
    app()
