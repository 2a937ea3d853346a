"""Whether a penalty record's dates are plausible: a decision (处罚决定日期) or a
publication (公示日期) lies neither after today nor before 1990, and a record is
published no earlier than it is decided.

1990 is the service's earliest year (its API takes no earlier day): the
Administrative Penalty Law dates from 1996 and public credit records from the
2010s, so an earlier date is a typing error or an empty spreadsheet cell read as
a date (1900-01-01), and periods counted from it would take the record offline.
"""

from dataclasses import dataclass
from datetime import date

EARLIEST = date(1990, 1, 1)
LABELS = {"decision_date": "处罚决定日期", "published_on": "公示日期"}


@dataclass(frozen=True)
class DateProblem:
    """One implausible date: ``code`` is ``date_in_future``, ``date_too_old`` or
    ``published_before_decision``; ``limit`` is the day it was measured against."""

    field: str
    code: str
    day: date
    limit: date

    @property
    def message(self) -> str:
        if self.code == "date_in_future":
            return f"{self.day} is after today ({self.limit}, Asia/Shanghai)"
        if self.code == "date_too_old":
            return f"{self.day} is before {self.limit}: not a plausible date"
        return f"published {self.day}, before the decision of {self.limit}"

    @property
    def detail(self) -> str:
        """The date in the import summary's words: 处罚决定日期2030-01-01."""
        if self.code == "published_before_decision":
            return f"公示日期{self.day}早于处罚决定日期{self.limit}"
        return f"{LABELS[self.field]}{self.day}"


def date_problems(
    decision_date: date | None, published_on: date | None, today: date
) -> list[DateProblem]:
    """Every implausible date of a record, those out of range first."""
    problems = []
    for field, day in (
        ("decision_date", decision_date),
        ("published_on", published_on),
    ):
        if day is None:
            continue
        if day > today:
            problems.append(DateProblem(field, "date_in_future", day, today))
        elif day < EARLIEST:
            problems.append(DateProblem(field, "date_too_old", day, EARLIEST))
    if decision_date and published_on and published_on < decision_date:
        problems.append(
            DateProblem(
                "published_on", "published_before_decision", published_on, decision_date
            )
        )
    return problems
