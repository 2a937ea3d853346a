"""``credit-repair instant``: instant national repair (0工作日) by hand."""

import typer

from credit_repair.cli.context import (
    actor_from,
    echo_json,
    parse_instant,
    read_document,
    reported_errors,
    workflow_and_engine,
)
from credit_repair.persistence.db import reading
from credit_repair.persistence.views import case_view
from credit_repair.workflow import instant

app = typer.Typer(no_args_is_help=True, help="Instant national repair (0工作日).")

DOCUMENTS = typer.Option(
    [], "--document", help="KIND=PATH, e.g. commitment_letter=承诺书.pdf"
)
ROLE = typer.Option("intake", "--role", help="intake or office.")
NAME = typer.Option(None, "--actor", help="Your name for the audit log.")


def _print_review(result: instant.ReviewResult) -> None:
    echo_json(result.as_dict())
    if not result.forwarded:
        raise typer.Exit(2)


@app.command()
def apply(
    penalty_id: int,
    document: list[str] = DOCUMENTS,
    channel: str = typer.Option("website", help="website, email or intake."),
    received_at: str = typer.Option(
        None, help="email or intake: when it really arrived (ISO-8601)."
    ),
    role: str = ROLE,
    actor: str = NAME,
) -> None:
    """Apply for a record on the national site; reviewed at once (exit 2: returned)."""
    wf, _engine = workflow_and_engine()
    with reported_errors():
        result = instant.apply(
            wf,
            penalty_id,
            actor_from(role, None, actor),
            [read_document(d) for d in document],
            parse_instant(received_at, "--received-at"),
            channel,
        )
    _print_review(result)


@app.command()
def resubmit(
    case_id: int,
    document: list[str] = DOCUMENTS,
    role: str = ROLE,
    actor: str = NAME,
) -> None:
    """Send what was missing for a returned case; reviewed again at once."""
    wf, _engine = workflow_and_engine()
    with reported_errors():
        result = instant.resubmit(
            wf,
            case_id,
            actor_from(role, None, actor),
            [read_document(d) for d in document],
        )
    _print_review(result)


@app.command()
def answer(
    case_id: int,
    outcome: str = typer.Argument(..., help="repaired or refused"),
    reason: str = typer.Option(None, "--reason", help="Required when refused."),
    expected_version: int = typer.Option(None, help="Refuse if the case moved on."),
    role: str = typer.Option("office", "--role", help="office or intake."),
    actor: str = NAME,
) -> None:
    """Record the province's and nation's answer for a forwarded case."""
    wf, engine = workflow_and_engine()
    with reported_errors():
        who = actor_from(role, None, actor)
        instant.answer(wf, case_id, outcome, reason, who, expected_version)
        with reading(engine) as conn:
            echo_json(case_view(conn, case_id))
