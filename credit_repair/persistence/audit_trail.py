"""Reading the whole audit log: chain verification, replay against stored state,
and a JSON-lines export that an auditor can check without our code."""

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, Engine, select

from credit_repair.persistence.db import reading
from credit_repair.persistence.stores.audit import AUDIT, audit_row
from credit_repair.persistence.stores.records import RECORD
from credit_repair.persistence.tables import Batch, BatchItem, Case
from credit_repair.workflow.audit import (
    ChainProblem,
    ReplayError,
    canonical_fact,
    replay,
    verify_stream,
)
from credit_repair.workflow.errors import CreditRepairError
from credit_repair.workflow.model import AuditRow

CASE = Case.__table__
BATCH = Batch.__table__
ITEM = BatchItem.__table__
#: What each kind of stream is the log of, singular and plural, in the order the
#: command line names them.
KINDS = {
    "commitment": ("commitment case", "commitment cases"),
    "instant": ("instant case", "instant cases"),
    "batch": ("batch", "batches"),
    "batch_item": ("batch item", "batch items"),
    "record": ("record", "records"),
}
CASE_KINDS = ("commitment", "instant")


def kind_of(stream: str) -> str:
    """The machine of a stream name such as ``batch_item:55``."""
    return stream.rpartition(":")[0]


def counted_by_kind(by_kind: Counter) -> str:
    """``2 commitment cases, 1 batch, 3116 batch items``: the kinds present, in
    a fixed order, any unknown kind last under its own name."""
    order = [*KINDS, *sorted(set(by_kind) - set(KINDS))]
    words = []
    for kind in order:
        if by_kind.get(kind):
            one, many = KINDS.get(kind, (kind, kind))
            words.append(f"{by_kind[kind]} {one if by_kind[kind] == 1 else many}")
    return ", ".join(words) or "nothing"


def _subjects(conn: Connection) -> dict[str, tuple[str, int, str | None]]:
    """stream → (machine, version, stored state) of every stored subject: cases,
    and penalty records with a stream of their own (notes only, no state)."""
    rows = conn.execute(
        select(CASE.c.id, CASE.c.procedure, CASE.c.version, CASE.c.state)
    )
    subjects = {
        f"{r.procedure}:{r.id}": (r.procedure, r.version, r.state) for r in rows
    }
    records = conn.execute(
        select(RECORD.c.id, RECORD.c.version).where(RECORD.c.version > 0)
    )
    subjects |= {f"record:{r.id}": ("record", r.version, None) for r in records}
    for machine, table in (("batch", BATCH), ("batch_item", ITEM)):
        rows = conn.execution_options(yield_per=5000).execute(
            select(table.c.id, table.c.version, table.c.state)
        )
        subjects |= {f"{machine}:{r.id}": (machine, r.version, r.state) for r in rows}
    return subjects


def _streams(conn: Connection, stream: str | None = None) -> Iterator[tuple[str, list]]:
    query = select(AUDIT).order_by(AUDIT.c.stream, AUDIT.c.seq)
    if stream is not None:
        query = query.where(AUDIT.c.stream == stream)
    current, rows = None, []
    for row in conn.execution_options(yield_per=2000).execute(query):
        parsed = audit_row(row)
        if parsed.fact.stream != current and rows:
            yield current, rows
            rows = []
        current = parsed.fact.stream
        rows.append(parsed)
    if rows:
        yield current, rows


@dataclass
class VerifyReport:
    streams: int = 0
    rows: int = 0
    problems: list[ChainProblem] = field(default_factory=list)
    by_kind: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "streams": self.streams,
            "by_kind": dict(self.by_kind),
            "rows": self.rows,
            "problems": [p.__dict__ for p in self.problems],
        }


def verify(engine: Engine) -> VerifyReport:
    """Check every stream's chain and length; names each row that differs."""
    report = VerifyReport()
    with reading(engine) as conn:
        subjects = _subjects(conn)
        seen = set()
        for stream, rows in _streams(conn):
            seen.add(stream)
            report.streams += 1
            report.by_kind[kind_of(stream)] += 1
            report.rows += len(rows)
            version = subjects.get(stream, (None, None, None))[1]
            report.problems += verify_stream(stream, rows, version)
        for stream in sorted(set(subjects) - seen):
            report.problems.append(
                ChainProblem(stream, None, None, "has no audit rows")
            )
    return report


@dataclass
class ReplayReport:
    streams: int = 0
    transitions: int = 0
    differences: list[dict] = field(default_factory=list)
    states: dict[str, str | None] = field(default_factory=dict)
    by_kind: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.differences

    @property
    def cases(self) -> int:
        """Streams of commitment and instant cases (not batches, items, records)."""
        return sum(self.by_kind[kind] for kind in CASE_KINDS)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "streams": self.streams,
            "cases": self.cases,
            "by_kind": dict(self.by_kind),
            "transitions": self.transitions,
            "differences": self.differences,
        }


def replay_all(
    engine: Engine, stream: str | None = None, as_of: datetime | None = None
) -> ReplayReport:
    """Rebuild each subject's state from its log through a fresh machine and compare
    it with the stored state (or, with ``as_of``, report the state at that time)."""
    report = ReplayReport()
    with reading(engine) as conn:
        subjects = _subjects(conn)
        for name, rows in _streams(conn, stream):
            machine, _version, stored = subjects.get(
                name, (rows[0].fact.machine, 0, None)
            )
            if as_of is not None:
                rows = [r for r in rows if r.fact.occurred_at <= as_of]
            report.streams += 1
            report.by_kind[kind_of(name)] += 1
            report.transitions += len(rows)
            try:
                state = replay(machine, ((r.stream_seq, r.fact) for r in rows))
            except (ReplayError, CreditRepairError) as exc:
                report.differences.append({"stream": name, "problem": str(exc)})
                continue
            report.states[name] = state
            if as_of is None and state != stored:
                report.differences.append(
                    {"stream": name, "stored": stored, "replayed": state}
                )
    return report


def export_lines(engine: Engine) -> Iterator[str]:
    """One JSON object per audit row: the hashed fields plus ``seq``, ``prev_hash``
    and ``hash``, in global order."""
    with reading(engine) as conn:
        rows = conn.execution_options(yield_per=2000).execute(
            select(AUDIT).order_by(AUDIT.c.seq)
        )
        for row in rows:
            parsed: AuditRow = audit_row(row)
            body = canonical_fact(parsed.fact, parsed.stream_seq)
            body |= {
                "seq": parsed.seq,
                "prev_hash": parsed.prev_hash,
                "hash": parsed.hash,
            }
            yield json.dumps(body, ensure_ascii=False, sort_keys=True)
