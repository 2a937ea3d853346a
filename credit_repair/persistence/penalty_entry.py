"""Storing one penalty record entered by hand, with its company and department;
the same decision of the same department is never stored twice."""

import hashlib
import json
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from credit_repair.persistence.stores.records import COMPANY, DEPARTMENT, RECORD
from credit_repair.workflow.errors import Conflict, InvalidInput
from credit_repair.workflow.penalty_entry import NewPenalty

NOT_PUBLISHED_CLASS = "minor"  # simplified procedure (简易程序): never published


def add_penalty(
    engine: Engine,
    entry: NewPenalty,
    penalty_class: str,
    class_reason: str,
    now: datetime,
) -> int:
    """Store the record; raises ``Conflict`` when its decision is already stored."""
    identity = record_identity(entry)
    try:
        with engine.begin() as conn:
            existing = conn.execute(
                select(RECORD.c.id).where(RECORD.c.identity_key == identity)
            ).scalar()
            if existing is not None:
                raise _duplicate(entry, existing)
            values = {
                "identity_key": identity,
                "identity_derived": entry.decision_number is None,
                "decision_number": entry.decision_number,
                "company_id": _company_id(conn, entry, now),
                "party_name": entry.party_name,
                "department_id": _department_id(conn, entry),
                "penalty_kinds": list(entry.penalty_kinds),
                "penalty_class": penalty_class,
                "class_reason": class_reason,
                "is_published": penalty_class != NOT_PUBLISHED_CLASS,
                "content_hash": _content_hash(entry),
                "created_at": now,
                "updated_at": now,
                **{name: getattr(entry, name) for name in _COPIED},
            }
            return conn.execute(
                insert(RECORD).values(values).returning(RECORD.c.id)
            ).scalar_one()
    except IntegrityError:
        raise Conflict(
            "penalty record", "stored at the same time by another request"
        ) from None


_COPIED = (
    "fine_yuan",
    "confiscated_yuan",
    "violation_type",
    "facts",
    "legal_basis",
    "content",
    "decision_date",
    "published_on",
    "published_where",
    "province",
    "source_url",
)


def record_identity(entry: NewPenalty) -> str:
    """The decision number within its department; without one, the party, the
    department, the dates and the facts."""
    if entry.decision_number:
        parts = ["decision", entry.department_code, _folded(entry.decision_number)]
    else:
        parts = [
            "derived",
            entry.department_code,
            _folded(entry.party_name),
            str(entry.decision_date or entry.published_on or ""),
            entry.facts or entry.content or "",
        ]
    return _digest(*parts)


def _company_id(conn: Connection, entry: NewPenalty, now: datetime) -> int:
    key = (
        _digest("uscc", entry.uscc)
        if entry.uscc
        else _digest("name", _folded(entry.party_name))
    )
    found = conn.execute(
        select(COMPANY.c.id).where(COMPANY.c.identity_key == key)
    ).scalar()
    if found is not None:
        return found
    values = {
        "name": entry.party_name,
        "uscc": entry.uscc,
        "identity_key": key,
        "created_at": now,
    }
    if entry.party_kind:
        values["kind"] = entry.party_kind
    return conn.execute(
        insert(COMPANY).values(values).returning(COMPANY.c.id)
    ).scalar_one()


def _department_id(conn: Connection, entry: NewPenalty) -> int:
    found = conn.execute(
        select(DEPARTMENT.c.id).where(DEPARTMENT.c.code == entry.department_code)
    ).scalar()
    if found is not None:
        return found
    if not entry.department_name:
        raise InvalidInput(
            {
                "department_name": f"department {entry.department_code} is not "
                "known yet: give its name to register it"
            }
        )
    other = conn.execute(
        select(DEPARTMENT.c.code).where(DEPARTMENT.c.name == entry.department_name)
    ).scalar()
    if other is not None:
        raise InvalidInput(
            {"department_name": f"already registered under the code {other}"}
        )
    return conn.execute(
        insert(DEPARTMENT)
        .values(code=entry.department_code, name=entry.department_name)
        .returning(DEPARTMENT.c.id)
    ).scalar_one()


def _duplicate(entry: NewPenalty, existing: int) -> Conflict:
    what = (
        f"decision {entry.decision_number} of department {entry.department_code}"
        if entry.decision_number
        else "the same penalty"
    )
    return Conflict("penalty record", f"{what} is already stored as record {existing}")


def _content_hash(entry: NewPenalty) -> str:
    body = json.dumps(asdict(entry), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _folded(text: str) -> str:
    return "".join(text.split()).casefold()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
