"""Cases and their documents. Statements are built once: this is the hot path."""

from sqlalchemy import Connection, String, bindparam, cast, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from credit_repair.persistence.stores.audit import AUDIT, NEW_STREAM, StreamHead
from credit_repair.persistence.tables import Batch, BatchItem, Case, Document
from credit_repair.persistence.types import flag
from credit_repair.workflow.errors import Conflict, NotFound, VersionConflict
from credit_repair.workflow.model import CaseData, DocumentData

CASE = Case.__table__
DOCUMENT = Document.__table__
BATCH = Batch.__table__
ITEM = BatchItem.__table__
_FIELDS = [c.name for c in CASE.columns if c.name != "id"]
# A JSON value can change in place, unseen by a comparison with the stored value,
# so it is always written.
_ALWAYS_WRITTEN = {"outcome"}

_GET = select(CASE).where(CASE.c.id == bindparam("case_id"))
# The case's audit stream (CaseData.stream) ends at stream_seq == version.
_HEAD_HASH = (
    select(AUDIT.c.hash)
    .where(
        AUDIT.c.stream == CASE.c.procedure + ":" + cast(CASE.c.id, String),
        AUDIT.c.stream_seq == CASE.c.version,
    )
    .scalar_subquery()
)
_GET_FOR_UPDATE = (
    select(CASE, _HEAD_HASH.label("audit_head"))
    .where(CASE.c.id == bindparam("case_id"))
    .with_for_update(of=CASE)
)
OPEN_CASE_FOR_RECORD = select(CASE.c.id).where(
    CASE.c.penalty_id == bindparam("penalty_id"), flag(CASE.c.is_open)
)  # the partial index ux_case_open_per_record, not a scan of every case
OPEN_ITEM_FOR_RECORD = select(ITEM.c.batch_id, ITEM.c.id).where(
    ITEM.c.penalty_id == bindparam("penalty_id"), flag(ITEM.c.is_open)
)  # the partial index ux_batch_item_open_per_record
# Screening takes its batch's row lock before each chunk; a filing waits for a
# chunk in progress, so that it sees the items that chunk adds (PostgreSQL; on
# SQLite every writer is alone anyway).
_SCREENING_BATCHES = (
    select(BATCH.c.id).where(BATCH.c.state == "screening").with_for_update(read=True)
)
# A record's second open case is skipped, not an error that would end the
# transaction on PostgreSQL, so that the case it conflicts with can be named.
_INSERT_IF_NONE_OPEN = {
    name: dialect.insert(CASE)
    .on_conflict_do_nothing(
        index_elements=[CASE.c.penalty_id], index_where=flag(CASE.c.is_open)
    )
    .returning(CASE.c.id)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
_UPDATE = update(CASE).where(
    CASE.c.id == bindparam("b_id"), CASE.c.version == bindparam("b_version")
)
_VERSION = select(CASE.c.version).where(CASE.c.id == bindparam("case_id"))
_DOCUMENTS = (
    select(DOCUMENT)
    .where(DOCUMENT.c.case_id == bindparam("case_id"))
    .order_by(DOCUMENT.c.id)
)
_DOCUMENT_KINDS = select(DOCUMENT.c.kind).where(
    DOCUMENT.c.case_id == bindparam("case_id")
)
_INSERT_DOCUMENT = insert(DOCUMENT)


def case_from_row(row) -> CaseData:
    """A ``CaseData`` from a row of ``repair_case``."""
    return CaseData(**row._mapping)


class SqlCaseStore:
    """Cases on one connection; with ``lock`` (inside a unit of work) ``get`` locks
    the row until commit, so that every writer of a case takes that lock first
    and concurrent writers queue instead of deadlocking (PostgreSQL). The locked
    read also fetches the head of the case's audit stream into ``heads``, shared
    with the audit log, so that appending to it needs no read of its own.
    ``update`` writes only the columns that differ from the case as this store
    last read or wrote it."""

    def __init__(
        self,
        conn: Connection,
        lock: bool = False,
        heads: dict[str, StreamHead] | None = None,
    ) -> None:
        self.conn = conn
        self.lock = lock
        self.heads = {} if heads is None else heads
        self.stored: dict[int, dict] = {}

    def get(self, case_id: int) -> CaseData:
        if not self.lock:
            row = self.conn.execute(_GET, {"case_id": case_id}).first()
            if row is None:
                raise NotFound("case", case_id)
            self.stored[case_id] = dict(row._mapping)
            return case_from_row(row)
        row = self.conn.execute(_GET_FOR_UPDATE, {"case_id": case_id}).first()
        if row is None:
            raise NotFound("case", case_id)
        values = dict(row._mapping)
        head = values.pop("audit_head")
        self.stored[case_id] = values
        case = CaseData(**values)
        if head is not None:
            self.heads[case.stream] = StreamHead(case.version, head)
        return case

    def add(self, case: CaseData) -> int:
        """Store a new case; a record held by another open case or by an open
        batch item is a conflict naming what holds it."""
        subject = f"penalty record {case.penalty_id}"
        self._refuse_if_in_batch(subject, case.penalty_id)
        values = {name: getattr(case, name) for name in _FIELDS}
        values["version"] = 1
        statement = _INSERT_IF_NONE_OPEN[self.conn.dialect.name]
        try:
            case_id = self.conn.execute(statement, values).scalar()
        except IntegrityError:
            raise Conflict(
                subject, "another case was opened at the same time"
            ) from None
        if case_id is None:
            open_case = self.conn.execute(
                OPEN_CASE_FOR_RECORD, {"penalty_id": case.penalty_id}
            ).scalar()
            raise Conflict(subject, f"already has an open case ({open_case})")
        self.heads[f"{case.procedure}:{case_id}"] = NEW_STREAM
        self.stored[case_id] = values
        return case_id

    def _refuse_if_in_batch(self, subject: str, penalty_id: int) -> None:
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(_SCREENING_BATCHES).all()
        item = self.conn.execute(
            OPEN_ITEM_FOR_RECORD, {"penalty_id": penalty_id}
        ).first()
        if item is not None:
            raise Conflict(
                subject,
                f"is item {item.id} of quarterly batch {item.batch_id}, which is "
                "still open",
            )

    def update(self, case: CaseData) -> int:
        values = {name: getattr(case, name) for name in _FIELDS}
        values["version"] = case.version + 1
        stored = self.stored.get(case.id)
        changed = values
        if stored is not None and stored["version"] == case.version:
            changed = {
                name: value
                for name, value in values.items()
                if name in _ALWAYS_WRITTEN or stored[name] != value
            }
        params = changed | {"b_id": case.id, "b_version": case.version}
        if self.conn.execute(_UPDATE, params).rowcount != 1:
            actual = self.conn.execute(_VERSION, {"case_id": case.id}).scalar()
            raise VersionConflict(f"case {case.id}", case.version, actual)
        self.stored[case.id] = values
        return case.version + 1

    def documents(self, case_id: int) -> list[DocumentData]:
        rows = self.conn.execute(_DOCUMENTS, {"case_id": case_id})
        return [
            DocumentData(**{k: v for k, v in r._mapping.items() if k != "case_id"})
            for r in rows
        ]

    def document_kinds(self, case_id: int) -> set[str]:
        return set(self.conn.execute(_DOCUMENT_KINDS, {"case_id": case_id}).scalars())

    def add_document(self, case_id: int, document: DocumentData) -> int:
        values = {k: v for k, v in document.__dict__.items() if k != "id"}
        values["case_id"] = case_id
        return self.conn.execute(_INSERT_DOCUMENT, values).inserted_primary_key[0]
