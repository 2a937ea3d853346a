"""Turning one source row into a penalty record draft: normalised values, the
party, the deciding department, stable identities, the class, and warnings about
what had to be guessed or left empty."""

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from credit_repair.workflow.classify import PenaltyTraits, classify, declared_class
from credit_repair.workflow.layouts import ColumnMap
from credit_repair.workflow.normalise import (
    UnreadableValue,
    canonical_authority,
    clean_text,
    name_key,
    parse_amount,
    parse_date,
    split_kinds,
)
from credit_repair.workflow.screening import Rejection, screen
from credit_repair.workflow.uscc import check_uscc

ORGANISATION = "法人及非法人组织"
_AUTHORITY_IN_TITLE = re.compile(
    r"(国家金融监(?:督管理|管管理|管)总局.+?监管(?:分局|局)|\S+?金融监管(?:分局|局))"
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


@dataclass(frozen=True)
class DepartmentDraft:
    """The deciding authority as found in a row; ``code`` is stable across imports."""

    code: str
    name: str
    uscc: str | None
    province: str | None


@dataclass(frozen=True)
class PenaltyDraft:
    """A normalised penalty record ready to be stored, with its source row."""

    row: int
    identity_key: str
    content_hash: str
    company: CompanyDraft
    department: DepartmentDraft
    values: dict[str, object]
    warnings: tuple[str, ...]


def draft_row(
    row: int, cells: Sequence[object], columns: ColumnMap, *, published_where: str
) -> PenaltyDraft | Rejection:
    """Draft the record of one source row, or say why the row is rejected."""
    warnings: list[str] = []

    def raw(name: str) -> object:
        index = columns.positions.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def text(name: str) -> str | None:
        return clean_text(raw(name))

    party, content = text("party_name"), text("content")
    kinds = split_kinds(raw("penalty_kinds"))
    authority = canonical_authority(text("authority"))
    if not authority and text("title"):
        found = _AUTHORITY_IN_TITLE.match(text("title") or "")
        authority = canonical_authority(found[1]) if found else None
        warnings += ["authority_from_title"] if authority else []
    rejection = screen(row, party, text("party_kind"), content, kinds, authority)
    if rejection:
        return rejection
    if not kinds and content:
        kinds = [k for word, k in _KINDS_IN_CONTENT.items() if word in content]
        warnings.append("kinds_from_content")

    fine = _amount(raw("fine"), columns.amount_units.get("fine"), warnings)
    confiscated = _amount(
        raw("confiscated"), columns.amount_units.get("confiscated"), warnings
    )
    if fine is None and any("罚款" in kind for kind in kinds):
        warnings.append("fine_amount_missing")
    decision_date = _date(raw("decision_date"), warnings)
    published_on = _date(raw("published_on"), warnings)
    if decision_date is None:
        warnings.append("missing_decision_date")
    province = text("province")
    if province is None and columns.has("province"):
        warnings.append("missing_province")

    company = _company(party, text("party_kind"), text("uscc"), columns, warnings)
    department = _department(authority, text("authority_uscc"), province)
    traits = PenaltyTraits(
        kinds=tuple(kinds),
        amount_yuan=(fine or Decimal(0)) + (confiscated or Decimal(0)),
        authority=authority,
        conduct=_joined(text("facts"), text("violation_type")),
        field_text=_joined(
            text("legal_basis"), text("violation_type"), text("facts"), text("licence")
        ),
        procedure=_joined(text("procedure"), text("remark"), content),
        declared=text("declared_class"),
    )
    if traits.declared and declared_class(traits.declared) is None:
        warnings.append("declared_class_unknown")
    classification = classify(traits)

    decision_number = text("decision_number")
    if decision_number is None:
        warnings.append("derived_identity")
    values = {
        "decision_number": decision_number,
        "identity_derived": decision_number is None,
        "penalty_kinds": kinds,
        "fine_yuan": fine,
        "confiscated_yuan": confiscated,
        "violation_type": text("violation_type"),
        "facts": text("facts"),
        "legal_basis": text("legal_basis"),
        "content": content,
        "title": text("title"),
        "decision_date": decision_date,
        "published_on": published_on,
        "published_where": published_where,
        "province": province,
        "penalty_class": classification.penalty_class,
        "class_reason": classification.class_reason,
        "is_published": classification.penalty_class != "minor",
        "source_url": text("source_url"),
    }
    if decision_number:
        identity = _digest("decision", name_key(decision_number), authority)
    else:
        identity = _digest(
            "derived",
            name_key(party),
            authority,
            str(published_on or decision_date or ""),
            *(values[k] or "" for k in ("title", "content", "facts", "source_url")),
        )
    return PenaltyDraft(
        row=row,
        identity_key=identity,
        content_hash=content_hash(values, company, department),
        company=company,
        department=department,
        values=values,
        warnings=tuple(warnings),
    )


def content_hash(
    values: dict[str, object], company: CompanyDraft, department: DepartmentDraft
) -> str:
    """A digest of everything stored for a record, to tell a changed row."""
    payload = {
        **values,
        "company": company.identity_key,
        "department": department.code,
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _company(
    name: str, kind: str | None, uscc: str | None, columns: ColumnMap, warnings: list
) -> CompanyDraft:
    kind = columns.layout.organisation_kind.get(kind or "", kind) or ORGANISATION
    code = None
    if uscc:
        check = check_uscc(uscc)
        code = check.code if check.well_formed else None
        if not check.ok:
            warnings.append(f"uscc_{check.problem}")
    elif columns.has("uscc") and kind == ORGANISATION:
        warnings.append("uscc_missing")
    key = _digest("uscc", code) if code else _digest("name", name_key(name))
    return CompanyDraft(identity_key=key, name=name, uscc=code, kind=kind)


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


def _date(value: object, warnings: list) -> date | None:
    try:
        return parse_date(value)
    except UnreadableValue:
        warnings.append("date_unreadable")
        return None


def _joined(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
