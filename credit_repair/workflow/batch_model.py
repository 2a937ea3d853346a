"""Batches (批量主动修复) and their items as the service layer sees them, and the
set-based item changes it asks storage to make."""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from credit_repair.workflow.model import Actor, AuditFact

ITEM_MACHINE = "batch_item"


class Origin(StrEnum):
    """Who started a batch: the quarterly schedule or a member of staff."""

    SCHEDULE = "schedule"
    STAFF = "staff"


class ExclusionReason(StrEnum):
    """Why an item left a batch without being repaired."""

    NOT_CARRIED_OUT = "not_carried_out"
    NOT_CONFIRMED_IN_TIME = "not_confirmed_in_time"
    SPECIFIC_SEVERE = "specific_severe_before_maximum"
    EXCLUDED_AT_REVIEW = "excluded_at_review"
    OBJECTED = "objected"
    BATCH_CANCELLED = "batch_cancelled"


REASON_TEXT = {
    ExclusionReason.NOT_CARRIED_OUT: "部门确认未履行",
    ExclusionReason.NOT_CONFIRMED_IN_TIME: "部门未按时确认",
    ExclusionReason.SPECIFIC_SEVERE: "特定严重失信行为，未满最长公示期限",
    ExclusionReason.EXCLUDED_AT_REVIEW: "信用办复核排除",
    ExclusionReason.OBJECTED: "公示期间有异议",
    ExclusionReason.BATCH_CANCELLED: "批次已取消",
}


def item_stream(item_id: object) -> str:
    """The audit stream of one batch item."""
    return f"{ITEM_MACHINE}:{item_id}"


@dataclass
class BatchData:
    """A batch; its items are only ever read and changed set-based."""

    state: str
    origin: str
    as_of: date
    regime: str
    regime_version: str
    started_by: str
    criteria: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    quarter: str | None = None
    screened_through: int = 0
    item_count: int = 0
    general_count: int = 0
    severe_count: int = 0
    marked_count: int = 0
    escalated_at: datetime | None = None
    id: int | None = None
    is_open: bool = True
    version: int = 0

    procedure = "batch"

    @property
    def stream(self) -> str:
        return f"batch:{self.id}"

    @property
    def label(self) -> str:
        return f"batch {self.id}"


@dataclass(frozen=True)
class ItemData:
    """One item with the department that must confirm it."""

    id: int
    batch_id: int
    penalty_id: int
    department_id: int
    department_code: str
    company_id: int
    penalty_class: str
    marked_specific_severe: bool
    state: str
    version: int
    fulfilled: bool | None = None
    exclusion_code: str | None = None


@dataclass(frozen=True)
class ItemSelection:
    """Items of one batch (in the source state of the change applied to them);
    optionally only ``item_ids``, only one department's, or only those marked as
    specific severe."""

    batch_id: int
    item_ids: tuple[int, ...] | None = None
    marked_only: bool = False
    department_id: int | None = None


@dataclass(frozen=True)
class ItemChange:
    """One event sent to every selected item: its target, the guard inputs and
    payload of each audit row, and the item columns it sets."""

    event: str
    source: str
    target: str
    actor: Actor
    at: datetime
    regime: str
    regime_version: str
    guards: dict[str, Any] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, Any] = field(default_factory=dict)

    def fact(self, stream: str, batch_id: int) -> AuditFact:
        """The audit row of one item's stream."""
        return AuditFact(
            stream=stream,
            machine=ITEM_MACHINE,
            event=self.event,
            source=self.source,
            target=self.target,
            actor=self.actor.label,
            actor_role=self.actor.role,
            occurred_at=self.at,
            payload={**self.payload, "batch_id": batch_id, "guards": self.guards},
            regime=self.regime,
            regime_version=self.regime_version,
        )


def screened_fact(
    batch: BatchData, actor: Actor, at: datetime, stream: str, item: dict[str, Any]
) -> AuditFact:
    """The first row of an item's stream: what screening found about its record."""
    return AuditFact(
        stream=stream,
        machine=ITEM_MACHINE,
        event="screen",
        source=None,
        target="candidate",
        actor=actor.label,
        actor_role=actor.role,
        occurred_at=at,
        payload={"batch_id": batch.id, **item},
        regime=batch.regime,
        regime_version=batch.regime_version,
    )
