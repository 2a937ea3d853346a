"""Audit rows for many streams in one INSERT … SELECT, hashed by the database.

The hash rule of ``workflow.audit`` is applied to a template of the row in which
each value that differs per row is a placeholder. The canonical JSON it yields is
cut at the placeholders and joined again in SQL around each row's own values,
then hashed in the database (PostgreSQL's ``sha256``; on SQLite a function
registered on the connection). A row written here verifies and replays exactly
like one written by ``SqlAuditLog.append``. Placeholders only ever hold integers,
booleans, dates and fixed words, none of which JSON escapes.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import JSON, Connection, String, case, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement

from credit_repair.persistence.types import UTCDateTime
from credit_repair.workflow.audit import canonical_fact, canonical_json
from credit_repair.workflow.model import AuditFact

SQLITE_SHA256 = "credit_repair_sha256"


class Kind(Enum):
    """How a placeholder's value is written in JSON."""

    INT = "int"
    BOOL = "bool"
    DATE = "date"
    WORD = "word"


@dataclass(frozen=True)
class _Slot:
    expr: ColumnElement
    kind: Kind


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RowTemplate:
    """Placeholders for per-row SQL values, and SQL text built around them."""

    def __init__(self, conn: Connection) -> None:
        self.postgres = conn.dialect.name == "postgresql"
        self._nonce = secrets.token_hex(8)
        self._slots: dict[str, _Slot] = {}
        self._pattern = re.compile(rf'("?)@{self._nonce}\.(\w+)@\1')
        if not self.postgres:
            raw = conn.connection.driver_connection
            raw.create_function(SQLITE_SHA256, 1, _sha256_hex, deterministic=True)

    def slot(self, name: str, expr: ColumnElement, kind: Kind) -> str:
        """A placeholder for ``expr``, to put where the value belongs."""
        self._slots[name] = _Slot(expr, kind)
        return f"@{self._nonce}.{name}@"

    def value(self, token: str) -> ColumnElement:
        """The SQL expression behind a placeholder."""
        return self._slots[token.strip("@").split(".", 1)[1]].expr

    def render(self, text: str) -> ColumnElement:
        """``text`` as an SQL string expression: a placeholder in quotes becomes
        its JSON value, one inside a longer string its plain text."""
        pieces: list[str | ColumnElement] = []
        position = 0
        for match in self._pattern.finditer(text):
            pieces.append(text[position : match.start()])
            slot = self._slots[match.group(2)]
            pieces += self._json(slot) if match.group(1) else [self._text(slot)]
            position = match.end()
        pieces.append(text[position:])
        return _joined(pieces)

    def sha256(self, text: ColumnElement) -> ColumnElement:
        """Hex SHA-256 of the UTF-8 bytes of ``text``."""
        if self.postgres:
            return func.encode(func.sha256(func.convert_to(text, "UTF8")), "hex")
        return getattr(func, SQLITE_SHA256)(text)

    def json(self, text: ColumnElement) -> ColumnElement:
        """JSON text as a value of a JSON column."""
        return cast(text, JSON) if self.postgres else text

    def _text(self, slot: _Slot) -> ColumnElement:
        if slot.kind is Kind.BOOL:
            return case((slot.expr, "true"), else_="false")
        if slot.kind is Kind.DATE and self.postgres:
            return func.to_char(slot.expr, "YYYY-MM-DD")
        return cast(slot.expr, String())

    def _json(self, slot: _Slot) -> list[str | ColumnElement]:
        text = self._text(slot)
        return ['"', text, '"'] if slot.kind in (Kind.DATE, Kind.WORD) else [text]


def _joined(pieces: list[str | ColumnElement]) -> ColumnElement:
    """``a || b || …``, adjacent constant text merged into one parameter."""
    parts: list[ColumnElement] = []
    text = ""
    for piece in pieces:
        if isinstance(piece, str):
            text += piece
            continue
        if text:
            parts.append(literal(text, String()))
            text = ""
        parts.append(piece)
    if text or not parts:
        parts.append(literal(text, String()))
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.concat(part)
    return joined


def audit_columns(
    template: RowTemplate, fact: AuditFact, stream_seq: str, prev_hash
) -> dict[str, ColumnElement]:
    """Every column of ``audit_entry`` for one row per selected source row.

    ``fact`` and ``stream_seq`` may hold placeholders of ``template``;
    ``prev_hash`` is a constant or a column of the previous row of the stream.
    """
    if isinstance(prev_hash, str):
        prev_hash = literal(prev_hash, String())
    body = template.render(canonical_json(canonical_fact(fact, stream_seq)))
    return {
        "stream": template.render(fact.stream),
        "stream_seq": template.value(stream_seq),
        "machine": literal(fact.machine, String()),
        "event": literal(fact.event, String()),
        "source": literal(fact.source, String()),
        "target": literal(fact.target, String()),
        "actor": literal(fact.actor, String()),
        "actor_role": literal(fact.actor_role, String()),
        "occurred_at": literal(fact.occurred_at, UTCDateTime()),
        "payload": template.json(template.render(canonical_json(fact.payload))),
        "regime": literal(fact.regime, String()),
        "regime_version": literal(fact.regime_version, String()),
        "prev_hash": prev_hash,
        "hash": template.sha256(prev_hash.concat(body)),
    }
