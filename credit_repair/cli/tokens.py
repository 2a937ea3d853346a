"""``credit-repair token``: make, list and revoke API tokens."""

import typer

from credit_repair.bootstrap import SystemClock, open_engine
from credit_repair.cli.context import reported_errors
from credit_repair.persistence.tokens import (
    ROLES,
    create_token,
    list_tokens,
    revoke_token,
)

app = typer.Typer(no_args_is_help=True, help="API tokens (bearer) and their roles.")


@app.command()
def create(
    role: str = typer.Option(..., "--role", help=f"One of {', '.join(ROLES)}."),
    department: str = typer.Option(
        None, "--department", help="Department code (role department only)."
    ),
    name: str = typer.Option(None, "--name", help="Who holds it, for the audit log."),
) -> None:
    """Make a token and print it once on stdout; only its SHA-256 is stored."""
    with reported_errors():
        holder, secret = create_token(
            open_engine(), role, SystemClock().now(), department, name
        )
    typer.echo(
        f"token {holder.id} for {holder.actor.label}: shown once, keep it safe",
        err=True,
    )
    typer.echo(secret)


@app.command("list")
def list_command() -> None:
    """Print every token: id, role, department, name, made and revoked."""
    for t in list_tokens(open_engine()):
        revoked = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}Z" if t.revoked_at else ""
        typer.echo(
            f"{t.id:>4} {t.role:<10} {t.department_code or '-':<20} "
            f"{t.name:<30} made {t.created_at:%Y-%m-%d %H:%M}Z {revoked}".rstrip()
        )


@app.command()
def revoke(token_id: int = typer.Argument(..., help="The token's id.")) -> None:
    """Stop a token from working at once."""
    with reported_errors():
        holder = revoke_token(open_engine(), token_id, SystemClock().now())
    typer.echo(f"token {holder.id} ({holder.actor.label}) revoked")
