"""Plain data the use cases work on, independent of how it is stored."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Actor:
    """Who acts: a person with a role, or the scheduler."""

    name: str
    role: str
    department: str | None = None

    @property
    def label(self) -> str:
        """``name (role)``, as written in the audit log."""
        return f"{self.name} ({self.role})"


SCHEDULER = Actor(name="scheduler", role="system")


@dataclass
class CaseData:
    """A case as the service layer sees it."""

    procedure: str
    state: str
    penalty_id: int
    company_id: int
    department_id: int
    regime: str
    regime_version: str
    channel: str
    received_at: datetime
    penalty_class: str
    created_at: datetime
    updated_at: datetime
    id: int | None = None
    is_open: bool = True
    fulfilled: bool | None = None
    escalated_at: datetime | None = None
    outcome: dict[str, Any] = field(default_factory=dict)
    version: int = 0

    @property
    def stream(self) -> str:
        """The audit stream of this case."""
        return f"{self.procedure}:{self.id}"

    @property
    def label(self) -> str:
        """How errors and logs name this case."""
        return f"case {self.id}"


@dataclass(frozen=True)
class PenaltyData:
    """The parts of a penalty record that the rules and use cases read."""

    id: int
    company_id: int
    company_name: str
    department_id: int
    department_code: str
    department_name: str
    penalty_class: str
    decision_date: date | None
    published_on: date | None
    is_published: bool
    published_where: str
    decision_number: str | None = None
    company_uscc: str | None = None
    identity_key: str | None = None
    class_reason: str | None = None


@dataclass(frozen=True)
class PublishedRecord:
    """A published record as housekeeping reads it: its class and dates, the
    length of its own audit stream, and the content duplicates are judged on."""

    id: int
    penalty_class: str
    decision_date: date | None
    published_on: date | None
    version: int
    company_id: int
    department_id: int
    decision_number: str | None = None
    penalty_kinds: tuple[str, ...] = ()
    fine_yuan: Decimal | None = None
    facts: str | None = None
    legal_basis: str | None = None
    content: str | None = None


@dataclass(frozen=True)
class DocumentData:
    """A document sent for a case, identified by its SHA-256."""

    kind: str
    name: str
    size: int
    sha256: str
    received_at: datetime
    content: bytes | None = None
    reference: str | None = None
    id: int | None = None


PENDING = "pending"
ESCALATED = "escalated"
#: Deadline statuses still waiting on something: ``pending`` (not yet fired) and
#: ``escalated`` (a provisional due passed and only escalated to staff; loading
#: the year's official table recomputes it). Settled ones are ``fired``, ``met``
#: or ``cancelled``.
OPEN_DEADLINE_STATUSES = (PENDING, ESCALATED)


@dataclass(frozen=True)
class DeadlineData:
    """A stored deadline: what is due, when, and the rule that said so."""

    machine: str
    subject_id: int
    kind: str
    due_at: datetime
    rule: str
    inputs: dict[str, Any]
    calendar_version: str
    provisional: bool
    explanation: str
    status: str = "pending"
    fired_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class AuditFact:
    """A past fact to append to a stream of the audit log."""

    stream: str
    machine: str
    event: str
    source: str | None
    target: str | None
    actor: str
    actor_role: str
    occurred_at: datetime
    payload: dict[str, Any]
    regime: str | None = None
    regime_version: str | None = None


@dataclass(frozen=True)
class AuditRow:
    """A stored audit row: the fact, its place in the stream and its hashes."""

    seq: int
    stream_seq: int
    fact: AuditFact
    prev_hash: str
    hash: str
