"""A penalty record's dates are plausible: not after today, not before 1990, and
not published before the decision."""

from datetime import date

import pytest

from credit_repair.workflow.record_dates import EARLIEST, date_problems

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("decided", "published", "expected"),
    [
        pytest.param(date(2025, 11, 30), date(2025, 12, 5), [], id="plausible"),
        pytest.param(TODAY, TODAY, [], id="today is not the future"),
        pytest.param(None, None, [], id="no dates"),
        pytest.param(EARLIEST, EARLIEST, [], id="1990-01-01 is the earliest"),
        pytest.param(
            date(2030, 11, 30),
            None,
            [("decision_date", "date_in_future")],
            id="decided in 2030",
        ),
        pytest.param(
            None,
            date(2026, 3, 3),
            [("published_on", "date_in_future")],
            id="published tomorrow",
        ),
        pytest.param(
            date(1900, 1, 1),
            date(2025, 1, 1),
            [("decision_date", "date_too_old")],
            id="an empty Excel cell read as a date",
        ),
        pytest.param(
            date(2025, 2, 1),
            date(2025, 1, 1),
            [("published_on", "published_before_decision")],
            id="published before the decision",
        ),
        pytest.param(
            date(2030, 1, 2),
            date(2030, 1, 1),
            [
                ("decision_date", "date_in_future"),
                ("published_on", "date_in_future"),
                ("published_on", "published_before_decision"),
            ],
            id="everything at once",
        ),
    ],
)
def test_every_implausible_date_is_named(decided, published, expected):
    found = date_problems(decided, published, TODAY)

    assert [(p.field, p.code) for p in found] == expected


def test_the_problems_say_what_was_measured_against_what():
    future, old, early = (
        date_problems(date(2030, 11, 30), None, TODAY)[0],
        date_problems(date(1900, 1, 1), None, TODAY)[0],
        date_problems(date(2025, 2, 1), date(2025, 1, 1), TODAY)[0],
    )

    assert future.message == "2030-11-30 is after today (2026-03-02, Asia/Shanghai)"
    assert future.detail == "处罚决定日期2030-11-30"
    assert old.message == "1900-01-01 is before 1990-01-01: not a plausible date"
    assert early.message == "published 2025-01-01, before the decision of 2025-02-01"
    assert early.detail == "公示日期2025-01-01早于处罚决定日期2025-02-01"
