"""What the commands share: opening the workflow, acting as someone, printing errors."""

import getpass
import json
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import typer

from credit_repair.bootstrap import build_workflow, open_engine
from credit_repair.workflow.errors import (
    ConditionsUnmet,
    CreditRepairError,
    InvalidInput,
)
from credit_repair.workflow.model import Actor

ROLES = ("office", "department", "intake", "auditor")


def workflow_and_engine():
    """The engine (schema upgraded) and the workflow on it."""
    engine = open_engine()
    return build_workflow(engine), engine


def actor_from(role: str, department: str | None, name: str | None) -> Actor:
    """The person a command acts as; a department role needs its code."""
    if role not in ROLES:
        raise typer.BadParameter(
            f"must be one of {', '.join(ROLES)}", param_hint="--role"
        )
    if role == "department" and not department:
        raise typer.BadParameter("a department actor needs --department CODE")
    return Actor(name=name or getpass.getuser(), role=role, department=department)


@contextmanager
def reported_errors():
    """Print a domain error as one clear message and exit with status 1."""
    try:
        yield
    except ConditionsUnmet as exc:
        typer.echo(f"error: {exc}", err=True)
        for unmet in exc.unmet:
            typer.echo(f"  - {unmet.code}: {unmet.message_en}", err=True)
        raise typer.Exit(1) from None
    except InvalidInput as exc:
        for field, problem in exc.problems.items():
            typer.echo(f"error: {field}: {problem}", err=True)
        raise typer.Exit(1) from None
    except CreditRepairError as exc:
        typer.echo(f"error ({exc.code}): {exc}", err=True)
        raise typer.Exit(1) from None


def instant_text(value: datetime) -> str:
    """An instant as the API writes it: UTC, ISO 8601, ``Z``."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _json_value(value) -> str:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return instant_text(value)
    return str(value)


def echo_json(value) -> None:
    """Print ``value`` as indented JSON, Chinese left readable and instants in
    the API's form (``2026-12-01T01:30:00Z``)."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=_json_value))


def parse_instant(value: str | None, option: str) -> datetime | None:
    """An ISO-8601 instant given on the command line, or None."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO-8601 instant", param_hint=option
        ) from None


def read_document(spec: str) -> tuple[str, str, bytes]:
    """A ``KIND=PATH`` option as the (kind, file name, content) a use case takes."""
    kind, _, path = spec.partition("=")
    if not path:
        raise typer.BadParameter("use KIND=PATH", param_hint="--document")
    file = Path(path)
    if not file.is_file():
        raise typer.BadParameter(f"{path} is not a file", param_hint="--document")
    return kind, file.name, file.read_bytes()
