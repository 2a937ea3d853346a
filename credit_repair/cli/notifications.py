"""``credit-repair notifications``: what companies, departments and the office were
told, and sending pending ones by e-mail when SMTP is set up."""

import typer

from credit_repair.bootstrap import open_engine
from credit_repair.mail import SmtpSender
from credit_repair.persistence.db import reading
from credit_repair.persistence.notifications import deliver_pending
from credit_repair.persistence.notifications import notifications as read
from credit_repair.settings import get_settings


def notifications(
    recipient: str = typer.Option(
        None, "--recipient", help="office, upper_level, company:ID, department:CODE"
    ),
    after: int = typer.Option(0, "--after", help="Only notifications after this id."),
    limit: int = typer.Option(50, "--limit"),
    send: bool = typer.Option(False, "--send", help="E-mail pending ones now."),
) -> None:
    """List notifications, oldest first."""
    engine = open_engine()
    if send:
        settings = get_settings()
        if not settings.smtp_enabled:
            raise typer.BadParameter(
                "set CREDIT_REPAIR_SMTP_ENABLED=true first", param_hint="--send"
            )
        report = deliver_pending(engine, SmtpSender.from_settings(settings))
        typer.echo(
            f"sent {report.sent}, failed {report.failed}, "
            f"no address {report.unaddressed}"
        )
    with reading(engine) as conn:
        rows = read(conn, recipient, after, limit)
    for row in rows:
        typer.echo(
            f"{row['id']:>5} {row['created_at']:%Y-%m-%d %H:%M}Z {row['status']:<11} "
            f"{row['recipient']:<16} {row['kind']:<22} {row['text']}"
        )
