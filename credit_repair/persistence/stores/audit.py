"""The append-only, hash-chained audit log."""

from typing import NamedTuple

from sqlalchemy import Connection, bindparam, insert, select

from credit_repair.persistence.tables import AuditEntry
from credit_repair.workflow.audit import GENESIS, chain_hash
from credit_repair.workflow.model import AuditFact, AuditRow

AUDIT = AuditEntry.__table__
_FACT_FIELDS = [
    "stream", "machine", "event", "source", "target", "actor", "actor_role",
    "occurred_at", "payload", "regime", "regime_version",
]  # fmt: skip
_HEAD = (
    select(AUDIT.c.stream_seq, AUDIT.c.hash)
    .where(AUDIT.c.stream == bindparam("stream"))
    .order_by(AUDIT.c.stream_seq.desc())
    .limit(1)
)
_INSERT = insert(AUDIT)
_STREAM = (
    select(AUDIT).where(AUDIT.c.stream == bindparam("stream")).order_by(AUDIT.c.seq)
)


class StreamHead(NamedTuple):
    """The last row of a stream: its place and its hash."""

    stream_seq: int
    hash: str


NEW_STREAM = StreamHead(0, GENESIS)


def audit_row(row) -> AuditRow:
    """An ``AuditRow`` from a stored row."""
    m = row._mapping
    return AuditRow(
        seq=m["seq"],
        stream_seq=m["stream_seq"],
        fact=AuditFact(**{name: m[name] for name in _FACT_FIELDS}),
        prev_hash=m["prev_hash"],
        hash=m["hash"],
    )


class SqlAuditLog:
    """The log on one connection. ``heads`` holds the heads of streams already read
    in this transaction (by the case store, with the case row it locked) or
    written by this log; a stream not in it has its head read before appending."""

    def __init__(
        self, conn: Connection, heads: dict[str, StreamHead] | None = None
    ) -> None:
        self.conn = conn
        self.heads = {} if heads is None else heads

    def append(self, fact: AuditFact) -> AuditRow:
        head = self.heads.get(fact.stream)
        if head is None:
            row = self.conn.execute(_HEAD, {"stream": fact.stream}).first()
            head = StreamHead(row.stream_seq, row.hash) if row else NEW_STREAM
        stream_seq, prev = head.stream_seq + 1, head.hash
        digest = chain_hash(prev, fact, stream_seq)
        values = {name: getattr(fact, name) for name in _FACT_FIELDS}
        values |= {"stream_seq": stream_seq, "prev_hash": prev, "hash": digest}
        seq = self.conn.execute(_INSERT, values).inserted_primary_key[0]
        self.heads[fact.stream] = StreamHead(stream_seq, digest)
        return AuditRow(seq, stream_seq, fact, prev, digest)

    def stream(self, stream: str) -> list[AuditRow]:
        rows = self.conn.execute(_STREAM, {"stream": stream})
        return [audit_row(r) for r in rows]
