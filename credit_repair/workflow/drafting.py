"""Turning one source row into a penalty record draft: normalised values, the
party, the deciding department, stable identities, the class, and warnings about
what had to be guessed or left empty."""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from credit_repair.workflow.classify import (
    MINOR,
    Classification,
    PenaltyTraits,
    classify,
    declared_class,
)
from credit_repair.workflow.layouts import ColumnMap
from credit_repair.workflow.noise import Rejection, reject, screen, too_long
from credit_repair.workflow.normalise import (
    UnreadableValue,
    canonical_authority,
    clean_text,
    name_key,
    parse_amount,
    parse_date,
    split_kinds,
)
from credit_repair.workflow.record_dates import date_problems
from credit_repair.workflow.uscc import check_uscc

ORGANISATION = "法人及非法人组织"
_AUTHORITY_IN_TITLE = re.compile(
    r"(国家金融监(?:督管理|管管理|管)总局.+?监管(?:分局|局)|\S+?金融监管(?:分局|局))"
)
_TEXT_FIELDS = (
    "violation_type",
    "facts",
    "legal_basis",
    "content",
    "title",
    "source_url",
)
#: Words of a penalty content that name a national penalty kind (处罚类别).
_KINDS_IN_CONTENT = {
    "警告": "警告",
    "通报批评": "通报批评",
    "罚款": "罚款",
    "没收违法所得": "没收违法所得",
    "没收非法财物": "没收非法财物",
    "吊销": "吊销许可证件",
    "责令停产停业": "责令停产停业",
    "责令关闭": "责令关闭",
    "限制从业": "限制从业",
    "禁止从业": "禁止从业",
}


@dataclass(frozen=True)
class CompanyDraft:
    """The party as found in a row; ``identity_key`` recognises it again."""

    identity_key: str
    name: str
    uscc: str | None
    kind: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class DepartmentDraft:
    """The deciding authority as found in a row; ``code`` is stable across imports."""

    code: str
    name: str
    uscc: str | None
    province: str | None


@dataclass(frozen=True)
class PenaltyDraft:
    """A normalised penalty record ready to be stored, with its source row;
    ``notes`` say in words what some of the ``warnings`` found."""

    row: int
    identity_key: str
    content_hash: str
    company: CompanyDraft
    department: DepartmentDraft
    values: dict[str, object]
    warnings: tuple[str, ...]
    notes: dict[str, str] = field(default_factory=dict)


def draft_row(
    row: int,
    cells: Sequence[object],
    columns: ColumnMap,
    *,
    published_where: str,
    today: date,
) -> PenaltyDraft | Rejection:
    """Draft the record of one source row, or say why the row is rejected;
    ``today`` (in the business time zone) bounds its dates."""
    raw = {
        name: cells[index] if index < len(cells) else None
        for name, index in columns.positions.items()
    }
    text = {name: clean_text(value) for name, value in raw.items()}
    warnings: list[str] = []
    notes: dict[str, str] = {}
    kinds = split_kinds(raw.get("penalty_kinds"))
    authority = _authority(text, warnings)
    party, content = text.get("party_name"), text.get("content")
    rejection = screen(row, party, text.get("party_kind"), content, kinds, authority)
    rejection = rejection or too_long(row, text | {"authority": authority})
    if rejection:
        return rejection

    if not kinds and content:
        kinds = [kind for word, kind in _KINDS_IN_CONTENT.items() if word in content]
        warnings.append("kinds_from_content")
    fine = _amount(raw.get("fine"), columns.amount_units.get("fine"), warnings)
    confiscated = _amount(
        raw.get("confiscated"), columns.amount_units.get("confiscated"), warnings
    )
    if fine is None and any("罚款" in kind for kind in kinds):
        warnings.append("fine_amount_missing")
    dates = _dates(row, raw, today, warnings, notes)
    if isinstance(dates, Rejection):
        return dates
    decision_date, published_on = dates
    province = text.get("province")
    if province is None and columns.has("province"):
        warnings.append("missing_province")
    if text.get("decision_number") is None:
        warnings.append("derived_identity")

    amount = (fine or Decimal(0)) + (confiscated or Decimal(0))
    classification = _classify(text, kinds, amount, authority, warnings)
    values = {
        "party_name": party,
        "decision_number": text.get("decision_number"),
        "identity_derived": text.get("decision_number") is None,
        "penalty_kinds": kinds,
        "fine_yuan": fine,
        "confiscated_yuan": confiscated,
        **{name: text.get(name) for name in _TEXT_FIELDS},
        "decision_date": decision_date,
        "published_on": published_on,
        "published_where": published_where,
        "province": province,
        "penalty_class": classification.penalty_class,
        "class_reason": classification.class_reason,
        "is_published": classification.penalty_class != MINOR,
    }
    kind = text.get("party_kind")
    kind = columns.layout.organisation_kind.get(kind or "", kind) or ORGANISATION
    company = _company(party, kind, text.get("uscc"), columns.has("uscc"))
    department = _department(authority, text.get("authority_uscc"), province)
    if classification.overruled:
        notes["declared_class_overruled"] = classification.class_reason
    return PenaltyDraft(
        row=row,
        identity_key=_identity(values, party, authority),
        content_hash=content_hash(values, company, department),
        company=company,
        department=department,
        values=values,
        warnings=(*warnings, *company.warnings),
        notes=notes,
    )


def content_hash(
    values: dict[str, object], company: CompanyDraft, department: DepartmentDraft
) -> str:
    """A digest of everything stored for a record, to tell a changed row. The
    party's name as published is compared by itself instead, so that records
    stored before it was kept are not all taken for changed."""
    stored = [repr(values[name]) for name in sorted(values) if name != "party_name"]
    return _digest(*stored, company.identity_key, department.code)


def other_name(published: str, registered: str, uscc: str) -> str | None:
    """Why a record's party name differs from the name its company (found by
    USCC) is stored under, or None when the two are one name (width and spaces
    aside). The company keeps its name; the record keeps the one it names."""
    if name_key(published) == name_key(registered):
        return None
    return f"统一社会信用代码{uscc}已登记为“{registered}”，本条记录公示为“{published}”"


def _authority(text: dict[str, str | None], warnings: list[str]) -> str | None:
    authority = canonical_authority(text.get("authority"))
    if authority or not text.get("title"):
        return authority
    found = _AUTHORITY_IN_TITLE.match(text["title"] or "")
    if found:
        warnings.append("authority_from_title")
        return canonical_authority(found[1])
    return None


def _classify(
    text: dict[str, str | None],
    kinds: list[str],
    amount: Decimal,
    authority: str,
    warnings: list[str],
) -> Classification:
    def joined(*names: str) -> str:
        return " ".join(text[name] for name in names if text.get(name))

    traits = PenaltyTraits(
        kinds=tuple(kinds),
        amount_yuan=amount,
        authority=authority,
        conduct=joined("facts", "violation_type", "content"),
        field_text=joined(
            "legal_basis", "violation_type", "facts", "licence", "content"
        ),
        procedure=joined("procedure", "remark", "content"),
        declared=text.get("declared_class"),
    )
    if traits.declared and declared_class(traits.declared) is None:
        warnings.append("declared_class_unknown")
    found = classify(traits)
    if found.overruled:
        warnings.append("declared_class_overruled")
    return found


def _identity(values: dict[str, object], party: str, authority: str) -> str:
    """Decision number and authority; without a number, the party, authority, date,
    title, content, facts and link of the notice."""
    if values["decision_number"]:
        return _digest("decision", name_key(str(values["decision_number"])), authority)
    day = values["published_on"] or values["decision_date"] or ""
    parts = (values[name] or "" for name in ("title", "content", "facts", "source_url"))
    return _digest("derived", name_key(party), authority, str(day), *parts)


@lru_cache(maxsize=65_536)
def _company(name: str, kind: str, uscc: str | None, has_uscc: bool) -> CompanyDraft:
    """The party, found by its USCC when it has a well-formed one, else by name."""
    code, warnings = None, ()
    if uscc:
        check = check_uscc(uscc)
        code = check.code if check.well_formed else None
        warnings = () if check.ok else (f"uscc_{check.problem}",)
    elif has_uscc and kind == ORGANISATION:
        warnings = ("uscc_missing",)
    key = _digest("uscc", code) if code else _digest("name", name_key(name))
    return CompanyDraft(key, name, code, kind, warnings)


@lru_cache(maxsize=4096)
def _department(name: str, uscc: str | None, province: str | None) -> DepartmentDraft:
    check = check_uscc(uscc) if uscc else None
    code = check.code if check and check.well_formed else None
    return DepartmentDraft(
        code=code or f"dept-{_digest('department', name_key(name))[:12]}",
        name=name,
        uscc=code,
        province=province,
    )


def _amount(value: object, unit: str | None, warnings: list) -> Decimal | None:
    try:
        return parse_amount(value, unit=unit or "元")
    except UnreadableValue:
        warnings.append("amount_unreadable")
        return None


def _dates(
    row: int, raw: dict, today: date, warnings: list, notes: dict
) -> tuple[date | None, date | None] | Rejection:
    """The decision and publication dates; a row dated after today or before
    1990 is rejected, one published before its decision warned."""
    decision_date = _date(raw.get("decision_date"), warnings)
    if decision_date is None:
        warnings.append("missing_decision_date")
    published_on = _date(raw.get("published_on"), warnings)
    for problem in date_problems(decision_date, published_on, today):
        if problem.code != "published_before_decision":
            return reject(row, problem.code, problem.detail)
        warnings.append(problem.code)
        notes[problem.code] = problem.detail
    return decision_date, published_on


def _date(value: object, warnings: list) -> date | None:
    try:
        return parse_date(value)
    except UnreadableValue:
        warnings.append("date_unreadable")
        return None


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
