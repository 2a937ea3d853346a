"""``credit-repair case``: drive a case end to end from the command line."""

import json

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
from credit_repair.persistence.views import case_history, case_view
from credit_repair.workflow import commitment

app = typer.Typer(no_args_is_help=True, help="Commitment-repair cases.")

ROLE = typer.Option("office", "--role", help="office, department, intake or auditor.")
DEPARTMENT = typer.Option(
    None, "--department", help="Department code (role department)."
)
NAME = typer.Option(None, "--actor", help="Your name for the audit log.")


@app.command()
def submit(
    penalty_id: int,
    channel: str = typer.Option("website", help="website, email or intake."),
    received_at: str = typer.Option(
        None, help="email or intake: when it really arrived (ISO-8601)."
    ),
    document: list[str] = typer.Option(
        [], help="KIND=PATH, e.g. commitment_letter=a.pdf"
    ),
    role: str = ROLE,
    department: str = DEPARTMENT,
    actor: str = NAME,
) -> None:
    """File a commitment letter for a penalty record."""
    wf, engine = workflow_and_engine()
    with reported_errors():
        case = commitment.submit(
            wf,
            penalty_id,
            channel,
            actor_from(role, department, actor),
            received_at=parse_instant(received_at, "--received-at"),
            documents=[read_document(d) for d in document],
        )
        with reading(engine) as conn:
            echo_json(case_view(conn, case.id))


@app.command()
def show(case_id: int) -> None:
    """Print a case: state, the events you may send (allowed_events) and those
    the service sends (service_events), deadlines, documents."""
    _wf, engine = workflow_and_engine()
    with reported_errors(), reading(engine) as conn:
        echo_json(case_view(conn, case_id))


@app.command()
def event(
    case_id: int,
    name: str,
    inputs: str = typer.Option("{}", "--inputs", help='JSON, e.g. {"fulfilled": true}'),
    expected_version: int = typer.Option(None, help="Refuse if the case moved on."),
    role: str = ROLE,
    department: str = DEPARTMENT,
    actor: str = NAME,
) -> None:
    """Send an event (review, request_confirmation, confirm, withdraw) to a case."""
    try:
        values = json.loads(inputs)
    except json.JSONDecodeError as exc:
        raise typer.BadParameter(f"not JSON: {exc}", param_hint="--inputs") from None
    if not isinstance(values, dict):
        raise typer.BadParameter(
            'a JSON object is needed, e.g. {"fulfilled": true}', param_hint="--inputs"
        )
    wf, engine = workflow_and_engine()
    with reported_errors():
        commitment.fire_event(
            wf,
            case_id,
            name,
            actor_from(role, department, actor),
            values,
            expected_version,
        )
        with reading(engine) as conn:
            echo_json(case_view(conn, case_id))


@app.command()
def attach(
    case_id: int,
    document: str = typer.Argument(..., help="KIND=PATH"),
    role: str = ROLE,
    department: str = DEPARTMENT,
    actor: str = NAME,
) -> None:
    """Attach a document (training_certificate, credit_report …) to a case."""
    kind, name, content = read_document(document)
    wf, engine = workflow_and_engine()
    with reported_errors():
        commitment.attach_document(
            wf, case_id, kind, name, content, actor_from(role, department, actor)
        )
        with reading(engine) as conn:
            echo_json(case_view(conn, case_id))


@app.command()
def history(case_id: int) -> None:
    """Print the case's audit rows, oldest first."""
    _wf, engine = workflow_and_engine()
    with reported_errors(), reading(engine) as conn:
        for row in case_history(conn, case_id):
            typer.echo(
                f"{row['stream_seq']:>3} {row['occurred_at']:%Y-%m-%d %H:%M:%S}Z "
                f"{row['event']:<22} {row['source'] or '-':>24} → "
                f"{row['target'] or '-':<24} {row['actor']}"
            )
