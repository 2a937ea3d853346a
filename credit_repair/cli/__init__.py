"""The ``credit-repair`` command line: serve, schedule, import, replay and verify."""

import typer

from credit_repair.cli import calendar, database, eligibility

app = typer.Typer(
    no_args_is_help=True,
    help="Credit-repair (信用修复) case service of the city credit office.",
    pretty_exceptions_enable=False,
)
app.add_typer(database.app, name="db")
app.add_typer(calendar.app, name="calendar")
app.command("deadline")(calendar.deadline)
app.command("eligibility")(eligibility.eligibility)


def main() -> None:
    """Console-script entry point."""
    app()
