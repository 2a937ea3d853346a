"""A penalty record entered by hand (one record, not a file): its fields in the
national publication template's terms, and the class it is given."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from credit_repair.workflow.classify import PenaltyTraits, classify


@dataclass(frozen=True)
class NewPenalty:
    """One administrative penalty decision (行政处罚决定) against one party."""

    party_name: str
    department_code: str
    penalty_kinds: tuple[str, ...]
    department_name: str | None = None
    party_kind: str | None = None
    uscc: str | None = None
    decision_number: str | None = None
    fine_yuan: Decimal | None = None
    confiscated_yuan: Decimal | None = None
    violation_type: str | None = None
    facts: str | None = None
    legal_basis: str | None = None
    content: str | None = None
    decision_date: date | None = None
    published_on: date | None = None
    published_where: str = "city"
    province: str | None = None
    procedure: str | None = None
    penalty_class: str | None = None
    source_url: str | None = None


def classify_entry(entry: NewPenalty) -> tuple[str, str]:
    """The record's class and the reason for it, from the rule-based classifier
    (a class the caller states counts as declared)."""
    traits = PenaltyTraits(
        kinds=tuple(entry.penalty_kinds),
        amount_yuan=(entry.fine_yuan or Decimal(0))
        + (entry.confiscated_yuan or Decimal(0)),
        authority=entry.department_name or "",
        conduct=_joined(entry.facts, entry.violation_type),
        field_text=_joined(entry.legal_basis, entry.violation_type, entry.facts),
        procedure=_joined(entry.procedure, entry.content),
        declared=entry.penalty_class,
    )
    found = classify(traits)
    return found.penalty_class, found.class_reason


def _joined(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)
