"""The audit trail's hash rule, chain verification and replay, on plain rows.

Each row's hash is SHA-256 over ``prev_hash`` followed by the canonical JSON of the
fact (keys sorted, no spaces, UTF-8, instants as UTC ``YYYY-MM-DDTHH:MM:SS.ffffffZ``).
The first row of a stream chains to 64 zeros.
"""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from statemachine.exceptions import TransitionNotAllowed as MachineRefused

from credit_repair.workflow.errors import CreditRepairError
from credit_repair.workflow.machines import machine_class, state_values
from credit_repair.workflow.model import AuditFact, AuditRow

GENESIS = "0" * 64


def instant_text(instant: datetime) -> str:
    """An instant in the one text form the hash rule uses."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_fact(fact: AuditFact, stream_seq: int) -> dict:
    """The fields that the hash covers, as JSON-ready values."""
    return {
        "stream": fact.stream,
        "stream_seq": stream_seq,
        "machine": fact.machine,
        "event": fact.event,
        "source": fact.source,
        "target": fact.target,
        "actor": fact.actor,
        "actor_role": fact.actor_role,
        "occurred_at": instant_text(fact.occurred_at),
        "payload": fact.payload,
        "regime": fact.regime,
        "regime_version": fact.regime_version,
    }


def canonical_json(value: object) -> str:
    """JSON as the hash rule writes it: keys sorted, no spaces, UTF-8 text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, fact: AuditFact, stream_seq: int) -> str:
    """The hash of a row that follows ``prev_hash``."""
    body = canonical_json(canonical_fact(fact, stream_seq))
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    """One way in which a stream's stored rows differ from an untouched chain."""

    stream: str
    seq: int | None
    stream_seq: int | None
    problem: str

    def __str__(self) -> str:
        if self.seq is None:  # the stream as a whole, e.g. rows cut from its end
            return f"{self.stream}: {self.problem}"
        return f"{self.stream} row seq={self.seq} #{self.stream_seq}: {self.problem}"


def verify_stream(
    stream: str, rows: Sequence[AuditRow], expected_length: int | None = None
) -> list[ChainProblem]:
    """Every break in one stream's chain; ``rows`` in global ``seq`` order.

    ``expected_length`` (the subject's version) exposes rows cut from the end.
    """
    problems: list[ChainProblem] = []
    prev = GENESIS
    for position, row in enumerate(rows, start=1):
        where = (stream, row.seq, row.stream_seq)
        if row.stream_seq != position:
            problems.append(ChainProblem(*where, f"out of place: expected #{position}"))
        if row.prev_hash != prev:
            problems.append(ChainProblem(*where, "does not chain to the row before it"))
        if chain_hash(row.prev_hash, row.fact, row.stream_seq) != row.hash:
            problems.append(ChainProblem(*where, "content differs from its hash"))
        prev = row.hash
    if expected_length is not None and expected_length != len(rows):
        problems.append(
            ChainProblem(
                stream,
                None,
                None,
                f"{len(rows)} rows but the subject is at version {expected_length}",
            )
        )
    return problems


class ReplayError(CreditRepairError):
    """Raised when a logged transition cannot be reproduced by a fresh machine."""

    code = "replay_failed"

    def __init__(self, stream: str, stream_seq: int, reason: str) -> None:
        super().__init__(f"{stream} #{stream_seq}: {reason}")
        self.stream = stream
        self.stream_seq = stream_seq
        self.reason = reason


def replay(machine_name: str, facts: Iterable[tuple[int, AuditFact]]) -> str | None:
    """The state a fresh machine reaches by re-sending every logged event.

    Each transition row stores the guard inputs it was decided with under
    ``payload["guards"]``; rows without a target (notes) do not move the machine,
    and a stream of notes only (a record's own stream) replays to None.
    """
    cls = machine = None
    for stream_seq, fact in facts:
        if fact.target is None:
            continue
        if cls is None:
            cls = machine_class(machine_name)
            known = state_values(cls)
        if fact.source is None:
            if fact.target not in known:
                raise ReplayError(
                    fact.stream, stream_seq, f"unknown state {fact.target!r}"
                )
            machine = cls(start_value=fact.target)
            continue
        if machine is None:
            raise ReplayError(fact.stream, stream_seq, "transition before creation")
        if machine.current_state_value != fact.source:
            raise ReplayError(
                fact.stream,
                stream_seq,
                f"logged source {fact.source!r} but replay is in "
                f"{machine.current_state_value!r}",
            )
        try:
            machine.send(fact.event, **fact.payload.get("guards", {}))
        except MachineRefused as exc:
            raise ReplayError(fact.stream, stream_seq, str(exc)) from None
        if machine.current_state_value != fact.target:
            raise ReplayError(
                fact.stream,
                stream_seq,
                f"logged target {fact.target!r} but replay reached "
                f"{machine.current_state_value!r}",
            )
    return None if machine is None else machine.current_state_value
