"""What every 2xx answer promised, checked against the database: a filed case, a
sent event, an attached document, an entered record or an imported file is there,
whatever happened to the server afterwards. A new kind of request adds its check
to ``CHECKS``."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from credit_repair.persistence.tables import (
    AuditEntry,
    Case,
    Document,
    ImportRun,
    PenaltyRecord,
)
from tests.hardening.ledger import Answer

AUDIT, CASE, DOCUMENT = AuditEntry.__table__, Case.__table__, Document.__table__
RECORD, RUN = PenaltyRecord.__table__, ImportRun.__table__


@dataclass
class Stored:
    """What the database holds, read once."""

    cases: dict[int, tuple[str, int]] = field(default_factory=dict)
    events: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    first_event: dict[str, str] = field(default_factory=dict)
    proofs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    documents: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    records: dict[int, str | None] = field(default_factory=dict)
    runs: dict[int, tuple[str, int]] = field(default_factory=dict)
    run_records: Counter = field(default_factory=Counter)


def read_stored(engine) -> Stored:
    stored = Stored()
    with engine.connect() as conn:
        for row in conn.execute(select(CASE.c.id, CASE.c.state, CASE.c.version)):
            stored.cases[row.id] = (row.state, row.version)
        rows = conn.execute(
            select(AUDIT.c.stream, AUDIT.c.stream_seq, AUDIT.c.event, AUDIT.c.payload)
        )
        for row in rows:
            stored.events[row.stream][row.event] += 1
            if row.stream_seq == 1:
                stored.first_event[row.stream] = row.event
            if row.event == "submit_proof":
                stored.proofs[row.stream].add(row.payload["document"]["sha256"])
        for row in conn.execute(select(DOCUMENT.c.case_id, DOCUMENT.c.sha256)):
            stored.documents[row.case_id].add(row.sha256)
        for row in conn.execute(select(RECORD.c.id, RECORD.c.decision_number)):
            stored.records[row.id] = row.decision_number
        for row in conn.execute(select(RUN.c.id, RUN.c.status, RUN.c.rows_committed)):
            stored.runs[row.id] = (row.status, row.rows_committed)
        counted = select(RECORD.c.import_run_id, func.count()).group_by(
            RECORD.c.import_run_id
        )
        stored.run_records.update(dict(conn.execute(counted).all()))
    return stored


def broken_promises(engine, answers: list[Answer]) -> list[str]:
    """Each acknowledged answer the database does not bear out, described."""
    stored = read_stored(engine)
    unique = {a.request.key: a for a in answers if a.acknowledged}
    sent = Counter(
        (a.request.case_id, a.request.event)
        for a in unique.values()
        if a.request.kind == "event"
    )
    problems = [
        f"{count} × {event} acknowledged on case {case_id}, "
        f"{stored.events[_stream(case_id)][event]} in its log"
        for (case_id, event), count in sent.items()
        if stored.events[_stream(case_id)][event] < count
    ]
    for answer in unique.values():
        problem = CHECKS[answer.request.kind](stored, answer)
        if problem:
            problems.append(f"{answer.request.method} {answer.request.path}: {problem}")
    return problems


def _stream(case_id: int, procedure: str = "commitment") -> str:
    return f"{procedure}:{case_id}"


def _filed(stored: Stored, answer: Answer) -> str | None:
    case_id = answer.body["id"]
    if case_id not in stored.cases:
        return f"case {case_id} was answered 201 but is not stored"
    if stored.first_event.get(_stream(case_id)) != "submit":
        return f"case {case_id} has no submit row"
    missing = {d["sha256"] for d in answer.body["documents"]} - stored.documents[
        case_id
    ]
    return f"documents {missing} of case {case_id} are lost" if missing else None


def _event(stored: Stored, answer: Answer) -> str | None:
    case_id = answer.request.case_id
    _state, stored_version = stored.cases.get(case_id, (None, 0))
    answered = answer.body["version"]
    if stored_version < answered:
        return f"case {case_id} answered at version {answered}, stored {stored_version}"
    return None


def _document(stored: Stored, answer: Answer) -> str | None:
    case_id, digest = answer.request.case_id, answer.request.sha256
    if digest not in stored.documents[case_id]:
        return f"document {digest[:12]} of case {case_id} is lost"
    if digest not in stored.proofs[_stream(case_id)]:
        return f"document {digest[:12]} of case {case_id} has no submit_proof row"
    return _event(stored, answer)


def _penalty(stored: Stored, answer: Answer) -> str | None:
    wanted = answer.request.json["decision_number"]
    if stored.records.get(answer.body["id"]) != wanted:
        return f"record {answer.body['id']} ({wanted}) is lost"
    return None


def _imported(stored: Stored, answer: Answer) -> str | None:
    run_id, body = answer.body["run_id"], answer.body
    status, committed = stored.runs.get(run_id, (None, 0))
    if (status, committed) != ("completed", body["read"]):
        return f"import run {run_id} is {status} with {committed} rows"
    if stored.run_records[run_id] != body["imported"] + body["updated"]:
        return f"import run {run_id} holds {stored.run_records[run_id]} records"
    return None


CHECKS = {
    "file": _filed,
    "event": _event,
    "document": _document,
    "penalty": _penalty,
    "import": _imported,
}
