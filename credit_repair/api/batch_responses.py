"""Response bodies of the batch routes, as documented in the OpenAPI schema."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from credit_repair.api.responses import Page, RegimeOut


class ScreenedOut(BaseModel):
    items: int
    general: int
    severe: int
    marked_specific_severe: int


class DepartmentCountsOut(BaseModel):
    name: str
    items: int
    states: dict[str, int]


class TimelinessOut(BaseModel):
    status: str
    items: int
    answered_in_time: int
    answered_late: int
    unanswered: int


class BatchDeadlineOut(BaseModel):
    id: int
    kind: str
    due_at: datetime
    provisional: bool
    status: str
    explanation: str
    fired_at: datetime | None


class BatchOut(BaseModel):
    """A batch's report: counts per state, department and reason for exclusion,
    and how promptly each department answered."""

    id: int
    state: str
    state_label: str
    is_open: bool
    version: int
    allowed_events: list[str] = Field(
        description="Events a caller may cause now, through the batch routes "
        "and commands"
    )
    service_events: list[str] = Field(
        description="Events of this state that only the service sends"
    )
    origin: str
    quarter: str | None
    as_of: date
    regime: RegimeOut
    started_by: str
    screened: ScreenedOut
    by_state: dict[str, int]
    by_reason: dict[str, int]
    by_department: dict[str, DepartmentCountsOut]
    timeliness: dict[str, TimelinessOut]
    deadlines: list[BatchDeadlineOut]
    escalated_at: datetime | None
    created_at: datetime
    updated_at: datetime


class BatchSummary(BaseModel):
    id: int
    state: str
    state_label: str
    is_open: bool
    version: int
    origin: str
    quarter: str | None
    as_of: date
    started_by: str
    item_count: int
    escalated_at: datetime | None
    created_at: datetime
    updated_at: datetime


class BatchPage(Page):
    items: list[BatchSummary]


class BatchItemOut(BaseModel):
    """One item as its department answers it: ``fulfilled`` true or false."""

    item_id: int
    department_code: str
    department_name: str
    company_name: str
    uscc: str | None
    penalty_id: int
    decision_number: str | None
    group: str
    penalty_class: str
    penalty_kinds: str
    decision_date: date | None
    published_on: date | None
    period_start: date | None
    marked_specific_severe: bool
    state: str
    fulfilled: bool | None
    answered_at: datetime | None
    exclusion_code: str | None
    exclusion_text: str | None


class BatchItemsOut(BaseModel):
    batch_id: int
    department: str | None
    items: list[BatchItemOut]


class AnswerReceiptOut(BaseModel):
    """What one upload of answers changed; ``late`` after the deadline."""

    batch_id: int
    department: str
    confirmed: int
    not_carried_out: int
    unchanged: int
    late: bool


class NoticeItemOut(BaseModel):
    item_id: int
    company_name: str
    uscc: str | None
    decision_number: str | None
    department_name: str
    penalty_class: str
    decision_date: date | None
    published_on: date | None


class NoticeOut(BaseModel):
    """The public notice (公示) as the portal publishes it."""

    batch_id: int
    state: str
    notice_until: datetime | None
    items: list[NoticeItemOut]
