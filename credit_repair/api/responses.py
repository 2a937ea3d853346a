"""Response bodies of the API, as documented in the OpenAPI schema."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field


class DeadlineOut(BaseModel):
    id: int
    kind: str
    due_at: datetime
    provisional: bool
    status: str
    explanation: str
    calendar_version: str
    fired_at: datetime | None


class DocumentOut(BaseModel):
    id: int
    kind: str
    name: str
    size: int
    sha256: str
    received_at: datetime


class CompanyOut(BaseModel):
    id: int
    name: str
    uscc: str | None
    kind: str


class DepartmentOut(BaseModel):
    code: str
    name: str


class PenaltySummaryOut(BaseModel):
    id: int
    decision_number: str | None
    penalty_class: str
    class_reason: str
    penalty_kinds: list[str]
    decision_date: date | None
    published_on: date | None
    is_published: bool
    published_where: str
    department_code: str
    department_name: str


class RegimeOut(BaseModel):
    name: str
    version: str


class CaseOut(BaseModel):
    id: int
    procedure: str
    state: str
    state_label: str
    is_open: bool
    version: int
    allowed_events: list[str] = Field(
        description="Events a caller may send now (POST …/events/{event})"
    )
    service_events: list[str] = Field(
        description="Events the service itself may send now: deadlines, the "
        "preliminary review, submit_proof (sent by attaching a document)"
    )
    channel: str
    received_at: datetime
    penalty_class: str
    fulfilled: bool | None
    escalated_at: datetime | None
    outcome: dict[str, Any]
    regime: RegimeOut
    deadlines: list[DeadlineOut]
    documents: list[DocumentOut]
    penalty: PenaltySummaryOut
    company: CompanyOut
    created_at: datetime
    updated_at: datetime


class UnmetOut(BaseModel):
    code: str
    message_zh: str
    message_en: str
    detail: dict[str, Any]


class ReviewOut(BaseModel):
    """An instant application's preliminary review: forwarded to the upper level,
    or returned with every unmet condition (一次性告知); ``can_resubmit`` is false
    when a condition is one no document or resubmission can meet."""

    case_id: int
    state: str
    state_label: str
    version: int
    forwarded: bool
    can_resubmit: bool
    unmet: list[UnmetOut]


class CaseAnswer(CaseOut):
    """The case after a change; ``review`` when the change ran a preliminary
    review (instant repair: filing, resubmitting)."""

    review: ReviewOut | None = None


class CaseItem(BaseModel):
    id: int
    procedure: str
    state: str
    state_label: str
    is_open: bool
    version: int
    penalty_id: int
    decision_number: str | None
    company_id: int
    company_name: str
    department_code: str
    penalty_class: str
    channel: str
    received_at: datetime
    escalated_at: datetime | None
    updated_at: datetime
    next_due_at: datetime | None


class Page(BaseModel):
    total: int
    limit: int
    offset: int


class CasePage(Page):
    items: list[CaseItem]


class HistoryRow(BaseModel):
    seq: int
    stream_seq: int
    event: str
    source: str | None
    target: str | None
    actor: str
    actor_role: str
    occurred_at: datetime
    payload: dict[str, Any]
    regime: str | None
    regime_version: str | None
    hash: str


class PeriodOut(BaseModel):
    """The disclosure window under the active regime; None without a start date."""

    regime: str
    minimum_period_end: date | None
    maximum_period_end: date | None
    eligible_from: date | None


class PenaltyOut(BaseModel):
    id: int
    party_name: str = Field(
        description="The party as this record names it; ``company`` is the party "
        "as recognised (by USCC), under the name it was first stored with"
    )
    decision_number: str | None
    identity_derived: bool
    penalty_kinds: list[str]
    fine_yuan: Decimal | None
    confiscated_yuan: Decimal | None
    violation_type: str | None
    facts: str | None
    legal_basis: str | None
    content: str | None
    decision_date: date | None
    published_on: date | None
    published_where: str
    province: str | None
    penalty_class: str
    class_reason: str
    is_published: bool
    source_url: str | None
    created_at: datetime
    updated_at: datetime
    open_case_id: int | None
    company: CompanyOut
    department: DepartmentOut
    period: PeriodOut


class EntryWarningOut(BaseModel):
    field: str
    code: str
    message: str


class PenaltyAdded(PenaltyOut):
    """A record just entered; ``warnings`` name what was stored but looks wrong,
    as an import reports it (a USCC failing its GB 32100 check character)."""

    warnings: list[EntryWarningOut] = []


class PenaltyItem(BaseModel):
    id: int
    decision_number: str | None
    company_id: int
    company_name: str
    party_name: str
    uscc: str | None
    department_code: str
    department_name: str
    penalty_kinds: list[str]
    penalty_class: str
    decision_date: date | None
    published_on: date | None
    is_published: bool
    published_where: str


class PenaltyPage(Page):
    items: list[PenaltyItem]


class PublicationChangeOut(BaseModel):
    seq: int
    penalty_id: int
    action: str
    published: bool
    reason: str
    occurred_at: datetime
    decision_number: str | None
    company_name: str
    uscc: str | None


class PublicationFeed(BaseModel):
    items: list[PublicationChangeOut]
    next_after: int


class EligibilityOut(BaseModel):
    penalty_id: int
    procedure: str
    regime: str
    regime_version: str
    on: date
    eligible: bool
    unmet: list[UnmetOut]


class SkippedOut(BaseModel):
    first: date
    last: date
    reason: str


class DeadlineAnswer(BaseModel):
    rule: str
    amount: int
    start: datetime
    last_day: date
    due_at: datetime
    local_due: datetime
    provisional: bool
    provisional_reason: str | None
    calendar_version: str
    skipped: list[SkippedOut]
    explanation: str


class NotificationOut(BaseModel):
    id: int
    recipient: str
    kind: str
    text: str
    stream: str | None
    status: str
    created_at: datetime
    delivered_at: datetime | None
    payload: dict[str, Any]


class NotificationFeed(BaseModel):
    items: list[NotificationOut]
    next_after: int
