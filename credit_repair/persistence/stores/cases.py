"""Cases and their documents."""

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from credit_repair.persistence.tables import Case, Document
from credit_repair.workflow.errors import Conflict, NotFound, VersionConflict
from credit_repair.workflow.model import CaseData, DocumentData

CASE = Case.__table__
DOCUMENT = Document.__table__
_FIELDS = [c.name for c in CASE.columns if c.name != "id"]


def case_from_row(row) -> CaseData:
    """A ``CaseData`` from a row of ``repair_case``."""
    data = dict(row._mapping)
    return CaseData(**data)


class SqlCaseStore:
    """Cases on one connection; with ``lock`` (inside a unit of work) ``get`` locks
    the row until commit, so that every writer of a case takes that lock first
    and concurrent writers queue instead of deadlocking (PostgreSQL)."""

    def __init__(self, conn: Connection, lock: bool = False) -> None:
        self.conn = conn
        self.lock = lock

    def get(self, case_id: int) -> CaseData:
        query = select(CASE).where(CASE.c.id == case_id)
        if self.lock:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        if row is None:
            raise NotFound("case", case_id)
        return case_from_row(row)

    def add(self, case: CaseData) -> int:
        subject = f"penalty record {case.penalty_id}"
        open_case = self.conn.execute(
            select(CASE.c.id).where(
                CASE.c.penalty_id == case.penalty_id, CASE.c.is_open
            )
        ).scalar()
        if open_case is not None:
            raise Conflict(subject, f"already has an open case ({open_case})")
        values = {name: getattr(case, name) for name in _FIELDS}
        values["version"] = 1
        try:
            return self.conn.execute(
                insert(CASE).values(values).returning(CASE.c.id)
            ).scalar_one()
        except IntegrityError:
            raise Conflict(
                subject, "another case was opened at the same time"
            ) from None

    def update(self, case: CaseData) -> int:
        values = {name: getattr(case, name) for name in _FIELDS}
        values["version"] = case.version + 1
        result = self.conn.execute(
            update(CASE)
            .where(CASE.c.id == case.id, CASE.c.version == case.version)
            .values(values)
        )
        if result.rowcount != 1:
            actual = self.conn.execute(
                select(CASE.c.version).where(CASE.c.id == case.id)
            ).scalar()
            raise VersionConflict(f"case {case.id}", case.version, actual)
        return case.version + 1

    def documents(self, case_id: int) -> list[DocumentData]:
        rows = self.conn.execute(
            select(DOCUMENT)
            .where(DOCUMENT.c.case_id == case_id)
            .order_by(DOCUMENT.c.id)
        )
        return [
            DocumentData(**{k: v for k, v in r._mapping.items() if k != "case_id"})
            for r in rows
        ]

    def add_document(self, case_id: int, document: DocumentData) -> int:
        values = {k: v for k, v in document.__dict__.items() if k != "id"}
        return self.conn.execute(
            insert(DOCUMENT).values(case_id=case_id, **values).returning(DOCUMENT.c.id)
        ).scalar_one()
