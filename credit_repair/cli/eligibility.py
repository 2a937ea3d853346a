"""``credit-repair eligibility``: one-time notice (一次性告知) for a stored record."""

import json
from dataclasses import replace
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from credit_repair.bootstrap import open_engine
from credit_repair.persistence.db import reading
from credit_repair.persistence.record_facts import load_record_facts
from credit_repair.settings import get_settings
from credit_repair.workflow.eligibility import check_eligibility
from credit_repair.workflow.errors import NotFound
from credit_repair.workflow.regimes import (
    DocumentKind,
    Procedure,
    UnknownRegimeError,
    load_regime,
)


def eligibility(
    record_id: Annotated[int, typer.Argument(help="Penalty record id.")],
    procedure: Annotated[
        Procedure, typer.Option(help="Repair procedure.")
    ] = Procedure.COMMITMENT,
    document: Annotated[
        list[DocumentKind] | None,
        typer.Option(help="A document the company has sent; repeat for several."),
    ] = None,
    fulfilled: Annotated[
        bool | None,
        typer.Option(
            "--fulfilled/--not-fulfilled",
            help="Performance of the penalty; default: the department's last answer.",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(help="Date to judge on (default: today, business time)."),
    ] = None,
    regime: Annotated[
        str | None, typer.Option(help="Regime name (default: from the settings).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List every condition the record fails; exit 1 when there is any."""
    settings = get_settings()
    try:
        rules = load_regime(regime or settings.regime)
    except UnknownRegimeError as exc:
        raise typer.BadParameter(str(exc), param_hint="--regime") from exc
    day = _day(on) if on else datetime.now(ZoneInfo(settings.timezone)).date()
    try:
        with reading(open_engine(settings)) as conn:
            record, company, _department = load_record_facts(conn, record_id)
    except NotFound:
        raise typer.BadParameter(
            f"no penalty record {record_id}", param_hint="RECORD_ID"
        ) from None
    if fulfilled is not None:
        record = replace(record, fulfilled=fulfilled)

    sent = {str(kind) for kind in document or []}
    unmet = check_eligibility(record, company, procedure, rules, day, sent)
    if as_json:
        answer = {
            "record_id": record_id,
            "procedure": str(procedure),
            "regime": rules.name,
            "regime_version": rules.version,
            "on": day.isoformat(),
            "unmet": [u.as_dict() for u in unmet],
        }
        typer.echo(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        head = f"record {record_id}, {procedure} under {rules.name} v{rules.version}"
        typer.echo(f"{head} on {day}: {'not eligible' if unmet else 'eligible'}")
        for condition in unmet:
            typer.echo(f"- {condition.code}: {condition.message_zh}")
            typer.echo(f"  {condition.message_en}")
    if unmet:
        raise typer.Exit(1)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not a date", param_hint="--on") from exc
