"""Request bodies of the batch routes (批量主动修复), separate from the tables;
unknown fields are refused."""

from pydantic import Field, StrictBool

from credit_repair.api.schemas import Strict
from credit_repair.api.types import Day, Id, StrictId, StrictVersion, text


class BatchIn(Strict):
    """Start a batch by hand; screening runs before the answer comes back."""

    as_of: Day | None = Field(
        None, description="Screen the records as of this day (default: today)"
    )


class AnswerIn(Strict):
    """A department's answer for one item of its list."""

    item_id: StrictId
    fulfilled: StrictBool = Field(description="The penalty was carried out in full")


class ReviewIn(Strict):
    """The office's review: items to exclude, each with its reason, and whether
    the review is over (the rest go on public notice)."""

    exclude: dict[Id, text(500)] = Field(
        default_factory=dict,
        max_length=10_000,
        description="item id → why it is excluded",
    )
    approve: StrictBool = False
    expected_version: StrictVersion | None = Field(
        None, description="Refuse (409) if the batch has moved past this version"
    )


class CancelIn(Strict):
    reason: text(500) = Field(description="Why the batch stops")
    expected_version: StrictVersion | None = None


class ObjectionIn(Strict):
    """An objection (异议) to an item on public notice."""

    item_id: StrictId
    by: text(200) = Field(description="Who objects")
    reason: text(1000) = Field(description="Why")
    expected_version: StrictVersion | None = None
