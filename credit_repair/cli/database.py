"""``credit-repair db``: schema migrations by hand."""

import typer

from credit_repair.bootstrap import open_engine
from credit_repair.persistence.migrate import pending_revisions
from credit_repair.persistence.migrate import upgrade as run_upgrade

app = typer.Typer(no_args_is_help=True, help="Database schema.")


@app.command()
def upgrade() -> None:
    """Apply every pending migration."""
    applied = run_upgrade(open_engine(migrate=False, create=True))
    typer.echo(f"schema current ({len(applied)} migration(s) applied)")


@app.command()
def status() -> None:
    """Print the migrations not yet applied."""
    pending = pending_revisions(open_engine(migrate=False))
    typer.echo("schema current" if not pending else f"pending: {', '.join(pending)}")
