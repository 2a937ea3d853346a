"""A penalty record entered by hand (one record, not a file): its fields in the
national publication template's terms, the class it is given, and the warnings
about what was stored as given but looks wrong."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from credit_repair.workflow.classify import Classification, PenaltyTraits, classify
from credit_repair.workflow.drafting import other_name
from credit_repair.workflow.errors import InvalidInput
from credit_repair.workflow.record_dates import date_problems
from credit_repair.workflow.uscc import check_uscc


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


@dataclass(frozen=True)
class EntryWarning:
    """Something stored that looks wrong, named by field as an import names it."""

    field: str
    code: str
    message: str


def check_dates(entry: NewPenalty, today: date) -> None:
    """Refuse a record decided or published after ``today`` (in the business time
    zone) or before 1990, or published before it was decided; names each field."""
    problems: dict[str, str] = {}
    for problem in date_problems(entry.decision_date, entry.published_on, today):
        said = [problems[problem.field]] if problem.field in problems else []
        problems[problem.field] = "; ".join([*said, problem.message])
    if problems:
        raise InvalidInput(problems)


def classify_entry(entry: NewPenalty) -> Classification:
    """The record's class and the reason for it, from the rule-based classifier
    (a class the caller states counts as declared)."""
    traits = PenaltyTraits(
        kinds=tuple(entry.penalty_kinds),
        amount_yuan=(entry.fine_yuan or Decimal(0))
        + (entry.confiscated_yuan or Decimal(0)),
        authority=entry.department_name or "",
        conduct=_joined(entry.facts, entry.violation_type, entry.content),
        field_text=_joined(
            entry.legal_basis, entry.violation_type, entry.facts, entry.content
        ),
        procedure=_joined(entry.procedure, entry.content),
        declared=entry.penalty_class,
    )
    return classify(traits)


def entry_warnings(
    entry: NewPenalty, found: Classification, company_name: str
) -> list[EntryWarning]:
    """What the record keeps although it looks wrong: a USCC failing its GB 32100
    check, a company found by USCC but stored under another name than
    ``party_name`` (the record keeps the name it gives), a declared class that
    could not lower a specific-severe finding."""
    warnings = []
    checked = check_uscc(entry.uscc) if entry.uscc else None
    if checked and not checked.ok:
        warnings.append(EntryWarning("uscc", f"uscc_{checked.problem}", checked.reason))
    differs = entry.uscc and other_name(entry.party_name, company_name, entry.uscc)
    if differs:
        warnings.append(EntryWarning("party_name", "party_name_differs", differs))
    if found.overruled:
        warnings.append(
            EntryWarning(
                "penalty_class",
                "declared_class_overruled",
                f"declared {found.overruled}, but rule {found.rule} finds the record "
                f"specific severe ({found.reason}), which a declared class cannot "
                "lower: stored as specific_severe",
            )
        )
    return warnings


def _joined(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)
