"""Set-based writes to batch items: screening records into a batch, moving many
items with one audit row each, and what completing a batch does to records,
the publication feed and notifications. Each is a few INSERT … SELECT and
UPDATE statements, whatever the number of items."""

from datetime import datetime

from sqlalchemy import (
    Connection,
    exists,
    false,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from credit_repair.persistence.stores.audit import AUDIT
from credit_repair.persistence.stores.bulk_audit import Kind, RowTemplate, audit_columns
from credit_repair.persistence.stores.cases import CASE
from credit_repair.persistence.stores.outbox import FEED, NOTIFICATION
from credit_repair.persistence.stores.records import RECORD
from credit_repair.persistence.tables import BatchItem
from credit_repair.persistence.types import UTCDateTime, flag
from credit_repair.workflow.audit import GENESIS, canonical_json
from credit_repair.workflow.batch_model import (
    BatchData,
    ItemChange,
    ItemSelection,
    item_stream,
)
from credit_repair.workflow.screening import ScreeningCriteria

ITEM = BatchItem.__table__
ID_CHUNK = 2000


_ITEM_COLUMNS = [
    "batch_id", "penalty_id", "department_id", "company_id", "penalty_class",
    "period_start", "marked_specific_severe", "state", "is_open", "version",
    "created_at", "updated_at",
]  # fmt: skip


def _screened(batch_id: int, window, first_id: int, last_id: int, at: datetime):
    """Items of one class from the records with ids in ``first_id..last_id``:
    published, period start inside the window, not held by an open case. Records
    held by an open item are left out by ``_insert_new_items``."""
    start = func.coalesce(RECORD.c.decision_date, RECORD.c.published_on)
    now = literal(at, UTCDateTime())
    return select(
        literal(batch_id),
        RECORD.c.id,
        RECORD.c.department_id,
        RECORD.c.company_id,
        RECORD.c.penalty_class,
        start,
        literal(window.marked),
        literal("candidate"),
        literal(True),
        literal(1),
        now,
        now,
    ).where(
        RECORD.c.id.between(first_id, last_id),
        RECORD.c.penalty_class == window.penalty_class,
        flag(RECORD.c.is_published),
        start > window.started_after,
        start <= window.started_through,
        ~exists().where(CASE.c.penalty_id == RECORD.c.id, flag(CASE.c.is_open)),
    )


def _insert_new_items(dialect: str, rows):
    """INSERT … SELECT that skips every record already held by an open item.

    The unique index on open items decides, row by row: an anti-join on the
    table being filled would make planners without statistics scan it again for
    every row.
    """
    insert_for = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert_for(ITEM)
        .from_select(_ITEM_COLUMNS, rows)
        .on_conflict_do_nothing(
            index_elements=[ITEM.c.penalty_id], index_where=text("is_open")
        )
    )


def _check_logged(batch_id: int, changed: int, logged: int) -> None:
    """Every item change has its audit row, or the transaction must not commit."""
    if changed != logged:
        raise RuntimeError(
            f"batch {batch_id}: {changed} items changed but {logged} audit rows "
            "written; an item's log does not match its version"
        )


class BatchItemWrites:
    """The set-based half of the batch store; ``self.conn`` is the transaction."""

    conn: Connection

    def _count(self, statement) -> int:
        """Rows an INSERT … SELECT, UPDATE or DELETE touched."""
        options = statement.execution_options(preserve_rowcount=True)
        return self.conn.execute(options).rowcount

    def screen(
        self, batch: BatchData, first_id: int, last_id: int, at: datetime, fact
    ) -> dict[str, int]:
        criteria = ScreeningCriteria.from_dict(batch.criteria)
        before = self.conn.execute(select(func.max(ITEM.c.id))).scalar() or 0
        added = {
            window.penalty_class: self._count(
                _insert_new_items(
                    self.conn.dialect.name,
                    _screened(batch.id, window, first_id, last_id, at),
                )
            )
            for window in criteria.windows
        }
        logged = self._audit_screened(batch, before, fact) if any(added.values()) else 0
        _check_logged(batch.id, sum(added.values()), logged)
        return added

    def _audit_screened(self, batch: BatchData, before: int, fact) -> int:
        t = RowTemplate(self.conn)
        item = {
            "penalty_id": t.slot("penalty", ITEM.c.penalty_id, Kind.INT),
            "department_id": t.slot("department", ITEM.c.department_id, Kind.INT),
            "penalty_class": t.slot("class", ITEM.c.penalty_class, Kind.WORD),
            "period_start": t.slot("start", ITEM.c.period_start, Kind.DATE),
            "marked_specific_severe": t.slot(
                "marked", ITEM.c.marked_specific_severe, Kind.BOOL
            ),
        }
        stream = item_stream(t.slot("id", ITEM.c.id, Kind.INT))
        first = t.slot("first", literal(1), Kind.INT)
        columns = audit_columns(t, fact(stream, item), first, GENESIS)
        rows = select(*columns.values()).where(
            ITEM.c.batch_id == batch.id, ITEM.c.id > before
        )
        return self._count(insert(AUDIT).from_select(list(columns), rows))

    def transition(self, selection: ItemSelection, change: ItemChange) -> int:
        ids = selection.item_ids
        if ids is None:
            return self._transition(selection, change, None)
        return sum(
            self._transition(selection, change, ids[i : i + ID_CHUNK])
            for i in range(0, len(ids), ID_CHUNK)
        )

    def _transition(self, selection, change: ItemChange, ids) -> int:
        where = [ITEM.c.batch_id == selection.batch_id, ITEM.c.state == change.source]
        if ids is not None:
            where.append(ITEM.c.id.in_(ids))
        if selection.marked_only:
            where.append(ITEM.c.marked_specific_severe)
        if selection.department_id is not None:
            where.append(ITEM.c.department_id == selection.department_id)
        t = RowTemplate(self.conn)
        stream = item_stream(t.slot("id", ITEM.c.id, Kind.INT))
        seq = t.slot("seq", ITEM.c.version + 1, Kind.INT)
        head = AUDIT.alias("head")
        head_hash = (
            select(head.c.hash)
            .where(
                head.c.stream == t.render(stream),
                head.c.stream_seq == ITEM.c.version,
            )
            .scalar_subquery()
        )
        fact = change.fact(stream, selection.batch_id)
        columns = audit_columns(t, fact, seq, head_hash)
        rows = select(*columns.values()).where(*where)
        logged = self._count(insert(AUDIT).from_select(list(columns), rows))
        moved = self.conn.execute(
            update(ITEM)
            .where(*where)
            .values(
                state=change.target,
                is_open=change.target in ("candidate", "confirmed"),
                version=ITEM.c.version + 1,
                updated_at=change.at,
                **change.columns,
            )
        ).rowcount
        _check_logged(selection.batch_id, moved, logged)
        return moved

    def take_down_repaired(self, batch_id: int, reason: str, at: datetime) -> int:
        repaired = [ITEM.c.batch_id == batch_id, ITEM.c.state == "repaired"]
        t = RowTemplate(self.conn)
        stream = t.render(item_stream(t.slot("id", ITEM.c.id, Kind.INT)))
        rows = (
            select(
                ITEM.c.penalty_id,
                literal("taken_down"),
                false(),
                literal(reason),
                stream,
                literal(at, UTCDateTime()),
            )
            .join(RECORD, RECORD.c.id == ITEM.c.penalty_id)
            .where(*repaired, RECORD.c.is_published)
        )
        names = ["penalty_id", "action", "published", "reason", "stream", "occurred_at"]
        self.conn.execute(insert(FEED).from_select(names, rows))
        return self.conn.execute(
            update(RECORD)
            .where(
                RECORD.c.is_published,
                RECORD.c.id.in_(select(ITEM.c.penalty_id).where(*repaired)),
            )
            .values(is_published=False, updated_at=at)
        ).rowcount

    def notify_repaired_companies(
        self, batch_id: int, kind: str, text: str, at: datetime
    ) -> int:
        t = RowTemplate(self.conn)
        count = t.slot("records", func.count(), Kind.INT)
        payload = canonical_json({"batch_id": batch_id, "records": count})
        company = t.slot("company", ITEM.c.company_id, Kind.INT)
        rows = (
            select(
                t.render(f"company:{company}"),
                literal(kind),
                literal(text),
                literal(f"batch:{batch_id}"),
                literal("pending"),
                literal(at, UTCDateTime()),
                t.json(t.render(payload)),
            )
            .where(ITEM.c.batch_id == batch_id, ITEM.c.state == "repaired")
            .group_by(ITEM.c.company_id)
        )
        names = ["recipient", "kind", "text", "stream", "status", "created_at"]
        return self._count(insert(NOTIFICATION).from_select([*names, "payload"], rows))
