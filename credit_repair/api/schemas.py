"""Request bodies of the API, separate from the tables; unknown fields are refused."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from credit_repair.api.types import (
    Base64Content,
    Code,
    Day,
    Instant,
    Money,
    StrictId,
    StrictVersion,
    Uscc,
    text,
)
from credit_repair.workflow.penalty_entry import NewPenalty

PenaltyClassName = Literal["minor", "general", "severe", "specific_severe"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PenaltyIn(Strict):
    """One penalty decision, named after the national publication template
    (行政处罚 双公示) fields."""

    party_name: text(300) = Field(description="行政相对人名称")
    party_kind: text(40) | None = Field(None, description="行政相对人类别")
    uscc: Uscc | None = Field(None, description="统一社会信用代码 of the party")
    department_code: Code = Field(description="Code of the deciding department")
    department_name: text(200) | None = Field(
        None, description="处罚机关; needed the first time a department appears"
    )
    decision_number: text(200) | None = Field(None, description="行政处罚决定书文号")
    penalty_kinds: list[text(60)] = Field(
        min_length=1, max_length=20, description="处罚类别, e.g. 警告, 罚款"
    )
    fine_yuan: Money | None = Field(None, description="罚款金额 in yuan")
    confiscated_yuan: Money | None = Field(
        None, description="没收违法所得、没收非法财物的金额 in yuan"
    )
    violation_type: text(2000) | None = Field(None, description="违法行为类型")
    facts: text(20000) | None = Field(None, description="违法事实")
    legal_basis: text(5000) | None = Field(None, description="处罚依据")
    content: text(20000) | None = Field(None, description="处罚内容")
    decision_date: Day | None = Field(None, description="处罚决定日期")
    published_on: Day | None = Field(None, description="公示日期")
    published_where: Literal["city", "national"] = "city"
    province: text(40) | None = None
    procedure: text(40) | None = Field(None, description="程序类型, e.g. 简易程序")
    penalty_class: PenaltyClassName | None = Field(
        None, description="失信类别 as stated by the department"
    )
    source_url: text(2000) | None = None

    def entry(self) -> NewPenalty:
        values = self.model_dump()
        values["penalty_kinds"] = tuple(values["penalty_kinds"])
        return NewPenalty(**values)


class DocumentIn(Strict):
    kind: Literal["commitment_letter", "training_certificate", "credit_report"]
    name: text(255)
    content_base64: Base64Content = Field(description="The file, base64-encoded")


class CaseIn(Strict):
    """An application for a penalty record: a commitment letter received, or an
    instant national repair reviewed at once."""

    procedure: Literal["commitment", "instant"] = Field(
        description="The repair procedure: commitment (先修复后证明) or instant "
        "national repair (0工作日, answered with its preliminary review)"
    )
    penalty_id: StrictId
    channel: Literal["website", "email", "intake"]
    received_at: Instant | None = Field(
        None,
        description="email or intake only: when the letter really arrived (an "
        "e-mail's time, a letter handed to staff), not in the future; defaults to "
        "now. A website application is received when it arrives.",
    )
    documents: list[DocumentIn] = Field(default_factory=list, max_length=10)


class EventIn(Strict):
    """Inputs of a staff or department event; each event reads the ones it needs."""

    expected_version: StrictVersion | None = Field(
        None, description="Refuse (409) if the case has moved past this version"
    )
    fulfilled: StrictBool | None = Field(
        None, description="confirm: the penalty was carried out in full"
    )
    penalty_class: PenaltyClassName | None = Field(
        None, description="confirm: the class the department confirms"
    )
    reason: text(500) | None = Field(
        None, description="withdraw, refuse: why (required to refuse)"
    )
    reference: text(200) | None = Field(
        None, description="repair, refuse: the upper level's reference number"
    )
    documents: list[DocumentIn] = Field(
        default_factory=list,
        max_length=10,
        description="resubmit (instant): what the one-time notice said was missing",
    )

    def inputs(self) -> dict:
        return self.model_dump(
            exclude_none=True, exclude={"expected_version", "documents"}
        )

    def documents_given(self) -> list[tuple[str, str, bytes]]:
        return [(d.kind, d.name, d.content_base64) for d in self.documents]
