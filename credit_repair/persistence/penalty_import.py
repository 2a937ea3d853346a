"""Storing imported penalty records chunk by chunk with SQLAlchemy Core: set-based
look-ups of what exists, executemany inserts and updates, one transaction a chunk.

A dry run keeps one transaction open over all chunks and rolls it back at the end,
so it reports exactly what a real run would do and leaves nothing behind.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import NamedTuple

import structlog
from sqlalchemy import Connection, Engine, bindparam, insert, or_, select, update

from credit_repair.persistence import import_runs
from credit_repair.persistence.tables import (
    Company,
    Department,
    ImportRun,
    PenaltyRecord,
)
from credit_repair.workflow.drafting import DepartmentDraft, PenaltyDraft, other_name
from credit_repair.workflow.import_summary import (
    ChunkOutcome,
    ChunkTally,
    ImportSummary,
    WarningNote,
)

RECORD = PenaltyRecord.__table__
COMPANY = Company.__table__
DEPARTMENT = Department.__table__
RUN = ImportRun.__table__
#: Columns an update rewrites (a key left out of the parameters is left alone);
#: whether a record is published now, and its audit version, belong to the
#: repair procedures.
_CHANGING = [
    c.name
    for c in RECORD.columns
    if c.name
    not in ("id", "created_at", "is_published", "version", "class_confirmed_by_case")
]

log = structlog.get_logger(__name__)

#: Given a chunk's connection, the identity keys it stored and the run id, takes
#: the records past their maximum period offline in that transaction; returns how
#: many.
Expiry = Callable[[Connection, list[str], int | None], int]


class SqlImportTarget:
    """Writes chunks of penalty drafts, their companies and departments, and keeps
    the ``import_run`` row current in the same transaction as each chunk; with an
    ``expire``, the chunk's records past their maximum period leave the portal in
    that transaction too."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock_now: datetime,
        dry_run: bool,
        expire: Expiry | None = None,
    ) -> None:
        self.engine = engine
        self.now = clock_now
        self.dry_run = dry_run
        self.expire = expire
        self.run_id: int | None = None
        self._dry_connection: Connection | None = None

    def start(self, summary: ImportSummary) -> int | None:
        if self.dry_run:
            self._dry_connection = self.engine.connect()
            self._dry_connection.begin()
            return None
        with self.engine.begin() as conn:
            beat = import_runs.wall_clock()
            for run_id in import_runs.mark_stale(conn, beat):
                log.warning("import_run_interrupted", run_id=run_id)
            self.run_id = conn.execute(
                insert(RUN).returning(RUN.c.id),
                {
                    "filename": summary.filename,
                    "file_sha256": summary.file_sha256,
                    "layout": summary.layout,
                    "published_where": summary.published_where,
                    "status": "running",
                    "started_at": self.now,
                    "updated_at": beat,
                    "rows_committed": 0,
                    "summary": {},
                },
            ).scalar_one()
        return self.run_id

    def write(self, drafts: Sequence[PenaltyDraft], tally: ChunkTally) -> ChunkOutcome:
        outcome = ChunkOutcome()
        with self._transaction() as conn:
            if self.run_id is not None:
                import_runs.beat(conn, self.run_id, tally.read, tally.last_row)
            companies = self._company_ids(conn, drafts, outcome)
            departments = self._department_ids(
                conn, [d.department for d in drafts], outcome
            )
            self._store_records(conn, drafts, companies, departments, outcome)
            if self.expire is not None and drafts:
                keys = [draft.identity_key for draft in drafts]
                outcome.expired = self.expire(conn, keys, self.run_id)
        return outcome

    def finish(self, summary: ImportSummary) -> None:
        if self._dry_connection is not None:
            self._dry_connection.rollback()
            self._dry_connection.close()
            self._dry_connection = None
            return
        status = "completed" if summary.completed else "interrupted"
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    update(RUN)
                    .where(RUN.c.id == self.run_id)
                    .values(
                        status=status,
                        summary=summary.as_dict(),
                        error=summary.stopped_because,
                        updated_at=import_runs.wall_clock(),
                    )
                )
        except Exception:  # the chunks are safe; only the run's status is lost
            log.exception("import_run_not_closed", run_id=self.run_id, status=status)

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        if self._dry_connection is not None:
            yield self._dry_connection
            return
        with self.engine.begin() as conn:
            yield conn

    def _company_ids(
        self, conn: Connection, drafts: Sequence[PenaltyDraft], outcome: ChunkOutcome
    ) -> dict[str, int]:
        """Ids by identity key; a new company takes the name of its first row. A
        row naming a company found by USCC otherwise is warned, both names given."""
        by_key = {}
        for draft in drafts:
            by_key.setdefault(draft.company.identity_key, draft.company)
        stored = _companies(conn, by_key)
        missing = [company for key, company in by_key.items() if key not in stored]
        if missing:
            conn.execute(
                insert(COMPANY),
                [
                    {
                        "identity_key": c.identity_key,
                        "name": c.name,
                        "uscc": c.uscc,
                        "kind": c.kind,
                        "created_at": self.now,
                    }
                    for c in missing
                ],
            )
            stored |= _companies(conn, [c.identity_key for c in missing])
            outcome.companies_created += len(missing)
        for draft in drafts:
            company = draft.company
            if company.uscc is None:
                continue  # found by its name: the same name
            detail = other_name(
                company.name, stored[company.identity_key][1], company.uscc
            )
            if detail:
                outcome.warnings.append(
                    WarningNote(draft.row, "party_name_differs", detail)
                )
        return {key: company_id for key, (company_id, _name) in stored.items()}

    def _department_ids(
        self, conn: Connection, wanted: list[DepartmentDraft], outcome: ChunkOutcome
    ) -> dict[str, int]:
        """Ids by department name; a department is found by its code or its name."""
        by_name = {department.name: department for department in wanted}
        known = _Departments(conn, by_name.values())
        missing = {d.code: d for d in by_name.values() if known.find(d) is None}
        if missing:
            conn.execute(
                insert(DEPARTMENT),
                [
                    {"code": d.code, "name": d.name, "uscc": d.uscc, "province": None}
                    for d in missing.values()
                ],
            )
            known = _Departments(conn, by_name.values())
            outcome.departments_created += len(missing)
        ids = {}
        for name, department in by_name.items():
            row = known.find(department)
            ids[name] = row.id
            if row.province is None and department.province:
                conn.execute(
                    update(DEPARTMENT)
                    .where(DEPARTMENT.c.id == row.id)
                    .values(province=department.province)
                )
                known.set_province(row, department.province)
        return ids

    def _store_records(
        self,
        conn: Connection,
        drafts: Sequence[PenaltyDraft],
        companies: dict[str, int],
        departments: dict[str, int],
        outcome: ChunkOutcome,
    ) -> None:
        keys = [draft.identity_key for draft in drafts]
        stored = {
            row.identity_key: row
            for row in conn.execute(
                select(
                    RECORD.c.id,
                    RECORD.c.identity_key,
                    RECORD.c.content_hash,
                    RECORD.c.party_name,
                    RECORD.c.penalty_class,
                    RECORD.c.class_reason,
                    RECORD.c.class_confirmed_by_case,
                ).where(RECORD.c.identity_key.in_(keys))
            )
        }
        new, changed = [], []
        for draft in drafts:
            values = {
                **draft.values,
                "identity_key": draft.identity_key,
                "content_hash": draft.content_hash,
                "company_id": companies[draft.company.identity_key],
                "department_id": departments[draft.department.name],
                "import_run_id": self.run_id,
                "source_row": draft.row,
                "updated_at": self.now,
            }
            existing = stored.get(draft.identity_key)
            if existing is None:
                new.append({**values, "created_at": self.now})
            elif (existing.content_hash, existing.party_name) != (
                draft.content_hash,
                draft.values["party_name"],
            ):
                if existing.class_confirmed_by_case is not None:
                    _keep_confirmed_class(values, existing, draft, outcome)
                changed.append(
                    {name: values[name] for name in _CHANGING}
                    | {"record_id": existing.id}
                )
                outcome.updated_rows.append(draft.row)
            else:
                outcome.unchanged += 1
        if new:
            conn.execute(insert(RECORD), new)
        if changed:
            conn.execute(
                update(RECORD).where(RECORD.c.id == bindparam("record_id")), changed
            )
        outcome.imported += len(new)
        outcome.updated += len(changed)


def _keep_confirmed_class(values: dict, stored, draft, outcome) -> None:
    """A class the penalising department confirmed in a case outranks the one the
    file's text suggests: the update keeps it, and a differing draft is warned."""
    if values["penalty_class"] != stored.penalty_class:
        outcome.warnings.append(
            WarningNote(
                draft.row,
                "confirmed_class_kept",
                f"the file suggests {values['penalty_class']}; kept "
                f"{stored.penalty_class}, confirmed by the department in case "
                f"{stored.class_confirmed_by_case}",
            )
        )
    values["penalty_class"] = stored.penalty_class
    values["class_reason"] = stored.class_reason


def _companies(conn: Connection, keys) -> dict[str, tuple[int, str]]:
    """Id and stored name of the companies with these identity keys."""
    rows = conn.execute(
        select(COMPANY.c.identity_key, COMPANY.c.id, COMPANY.c.name).where(
            COMPANY.c.identity_key.in_(list(keys))
        )
    )
    return {key: (company_id, name) for key, company_id, name in rows}


class _StoredDepartment(NamedTuple):
    id: int
    code: str
    name: str
    province: str | None


class _Departments:
    """The stored departments a chunk names, found by code first, then by name."""

    def __init__(self, conn: Connection, wanted) -> None:
        wanted = list(wanted)
        rows = conn.execute(
            select(
                DEPARTMENT.c.id,
                DEPARTMENT.c.code,
                DEPARTMENT.c.name,
                DEPARTMENT.c.province,
            ).where(
                or_(
                    DEPARTMENT.c.code.in_([d.code for d in wanted]),
                    DEPARTMENT.c.name.in_([d.name for d in wanted]),
                )
            )
        )
        self.by_code, self.by_name = {}, {}
        for row in rows:
            stored = _StoredDepartment(*row)
            self.by_code[stored.code] = self.by_name[stored.name] = stored

    def find(self, department: DepartmentDraft) -> _StoredDepartment | None:
        return self.by_code.get(department.code) or self.by_name.get(department.name)

    def set_province(self, row: _StoredDepartment, province: str) -> None:
        self.by_code[row.code] = self.by_name[row.name] = row._replace(
            province=province
        )
