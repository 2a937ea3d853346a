"""Set-based queries of the daily housekeeping: records past their maximum period
selected by per-class cut-off dates, and candidate duplicates found by grouping."""

from collections.abc import Collection, Mapping
from datetime import date, datetime
from itertools import groupby

from sqlalchemy import Connection, and_, false, func, or_, select, update

from credit_repair.persistence.stores.outbox import NOTIFICATION
from credit_repair.persistence.stores.records import RECORD
from credit_repair.workflow.model import PublishedRecord

period_start = func.coalesce(RECORD.c.decision_date, RECORD.c.published_on)
_DATES = [
    RECORD.c.id,
    RECORD.c.penalty_class,
    RECORD.c.decision_date,
    RECORD.c.published_on,
    RECORD.c.version,
    RECORD.c.company_id,
    RECORD.c.department_id,
    RECORD.c.decision_number,
]
_CONTENT = [
    *_DATES,
    RECORD.c.penalty_kinds,
    RECORD.c.fine_yuan,
    RECORD.c.facts,
    RECORD.c.legal_basis,
    RECORD.c.content,
]
# Bracket styles and spaces that vary between copies of one decision number.
_SAME_IN_DECISION_NUMBERS = [
    *(("〔", "("), ("〕", ")"), ("［", "("), ("］", ")"), ("[", "("), ("]", ")")),
    *(("【", "("), ("】", ")"), ("（", "("), ("）", ")"), ("﹝", "("), ("﹞", ")")),
    *((" ", ""), ("\u3000", "")),
]


def decision_key(column):
    """SQL for a decision number with bracket styles unified and spaces removed."""
    for old, new in _SAME_IN_DECISION_NUMBERS:
        column = func.replace(column, old, new)
    return column


def _record(values) -> PublishedRecord:
    """A record from the values of ``_DATES`` or ``_CONTENT``, in that order."""
    data = dict(zip((c.name for c in _CONTENT), values, strict=False))
    if "penalty_kinds" in data:
        data["penalty_kinds"] = tuple(data["penalty_kinds"] or ())
    return PublishedRecord(**data)


class SqlHousekeepingStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def past_maximum(
        self,
        last_starts: Mapping[str, date],
        after_id: int,
        limit: int,
        identity_keys: Collection[str] | None = None,
    ) -> list[PublishedRecord]:
        per_class = [
            and_(RECORD.c.penalty_class == penalty_class, period_start <= last)
            for penalty_class, last in last_starts.items()
        ]
        query = (
            select(*_DATES)
            .where(RECORD.c.is_published, RECORD.c.id > after_id)
            .where(or_(false(), *per_class))
            .order_by(RECORD.c.id)
            .limit(limit)
        )
        if identity_keys is not None:
            query = query.where(RECORD.c.identity_key.in_(list(identity_keys)))
        return [_record(tuple(r)) for r in self.conn.execute(query)]

    def undated(self) -> int:
        return self.conn.execute(
            select(func.count()).where(RECORD.c.is_published, period_start.is_(None))
        ).scalar_one()

    def take_offline(self, penalty_id: int, version: int, at: datetime) -> bool:
        result = self.conn.execute(
            update(RECORD)
            .where(
                RECORD.c.id == penalty_id,
                RECORD.c.version == version,
                RECORD.c.is_published,
            )
            .values(is_published=False, version=version + 1, updated_at=at)
        )
        return result.rowcount == 1

    def same_decision_groups(self) -> list[list[PublishedRecord]]:
        key = decision_key(RECORD.c.decision_number)
        return self._groups([RECORD.c.department_id, key])

    def same_party_date_groups(self) -> list[list[PublishedRecord]]:
        return self._groups([RECORD.c.company_id, RECORD.c.department_id, period_start])

    def reported_duplicates(self) -> set[str]:
        payloads = self.conn.execute(
            select(NOTIFICATION.c.payload).where(
                NOTIFICATION.c.kind == "duplicate_publication"
            )
        ).scalars()
        return {p["key"] for p in payloads if p and "key" in p}

    def _groups(self, keys: list) -> list[list[PublishedRecord]]:
        """Members of every group of published records sharing ``keys`` (none
        null) that has more than one member, in group order then id order."""
        published = [RECORD.c.is_published, *(k.is_not(None) for k in keys)]
        shared = (
            select(*(k.label(f"k{i}") for i, k in enumerate(keys)))
            .where(*published)
            .group_by(*keys)
            .having(func.count() > 1)
            .subquery()
        )
        group = [shared.c[f"k{i}"] for i in range(len(keys))]
        rows = self.conn.execute(
            select(*_CONTENT, *group)
            .join(shared, and_(*(k == g for k, g in zip(keys, group, strict=True))))
            .where(*published)
            .order_by(*group, RECORD.c.id)
        )
        width = len(_CONTENT)
        return [
            [_record(tuple(row)[:width]) for row in members]
            for _key, members in groupby(rows, key=lambda r: tuple(r)[width:])
        ]
