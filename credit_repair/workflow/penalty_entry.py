"""A penalty record entered by hand (one record, not a file): its fields in the
national publication template's terms, and the class it is given."""

import importlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from credit_repair.workflow.errors import InvalidInput
from credit_repair.workflow.regimes import PenaltyClass

GIVEN_BY_CALLER = "given by the caller"
CLASSIFIER_MODULE = "credit_repair.workflow.classify"


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
    """The record's class and the reason for it: from the rule-based classifier when
    it is installed (a stated class counts as declared), else as the caller says."""
    classifier = _classifier()
    if classifier is None:
        if entry.penalty_class is None:
            raise InvalidInput(
                {"penalty_class": "required: state the class (no classifier here)"}
            )
        return str(PenaltyClass(entry.penalty_class)), GIVEN_BY_CALLER
    traits = classifier.PenaltyTraits(
        kinds=tuple(entry.penalty_kinds),
        amount_yuan=(entry.fine_yuan or Decimal(0))
        + (entry.confiscated_yuan or Decimal(0)),
        authority=entry.department_name or "",
        conduct=_joined(entry.facts, entry.violation_type),
        field_text=_joined(entry.legal_basis, entry.violation_type, entry.facts),
        procedure=_joined(entry.procedure, entry.content),
        declared=entry.penalty_class,
    )
    found = classifier.classify(traits)
    return found.penalty_class, found.class_reason


def _classifier():
    try:
        return importlib.import_module(CLASSIFIER_MODULE)
    except ImportError:
        return None


def _joined(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)
