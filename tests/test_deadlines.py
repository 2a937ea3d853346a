"""Deadlines around every 2026 holiday and exchanged workday, at midnight, at year
ends, on a provisional year, and whatever the process time zone is."""

import json
import os
import time
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credit_repair.workflow.calendar import WorkingCalendar
from credit_repair.workflow.deadlines import (
    BUSINESS_TZ,
    Rule,
    days_after,
    recompute,
    working_days_after,
)

CST = timezone(timedelta(hours=8))
CALENDAR = WorkingCalendar()


def at(text: str) -> datetime:
    """An aware instant from ISO text that carries its own offset."""
    instant = datetime.fromisoformat(text)
    assert instant.tzinfo is not None
    return instant


@pytest.fixture(params=["UTC", "Asia/Shanghai", "America/Los_Angeles"])
def process_tz(request):
    """Run the test with the process's own time zone set to each of three zones."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if before is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = before
    time.tzset()


WORKING_DAY_CASES = [
    # start, N, last day — the 2026 arrangement, by holiday
    ("2025-12-31T10:00+08:00", 1, date(2026, 1, 4)),  # New Year, Sunday worked
    ("2026-01-04T10:00+08:00", 1, date(2026, 1, 5)),  # from an exchanged Sunday
    ("2026-02-13T10:00+08:00", 1, date(2026, 2, 14)),  # Spring Festival, Sat worked
    ("2026-02-14T10:00+08:00", 1, date(2026, 2, 24)),  # skips 02-15..02-23
    ("2026-02-13T10:00+08:00", 3, date(2026, 2, 25)),
    ("2026-02-27T10:00+08:00", 1, date(2026, 2, 28)),  # Saturday worked
    ("2026-04-02T10:00+08:00", 3, date(2026, 4, 8)),  # Qingming 04-04..04-06
    ("2026-04-30T10:00+08:00", 1, date(2026, 5, 6)),  # Labour Day 05-01..05-05
    ("2026-05-08T10:00+08:00", 1, date(2026, 5, 9)),  # Saturday worked
    ("2026-06-18T10:00+08:00", 1, date(2026, 6, 22)),  # Dragon Boat 06-19..06-21
    ("2026-09-18T10:00+08:00", 1, date(2026, 9, 20)),  # Sunday worked
    ("2026-09-24T10:00+08:00", 1, date(2026, 9, 28)),  # Mid-Autumn 09-25..09-27
    ("2026-09-30T16:00+08:00", 1, date(2026, 10, 8)),  # National Day 10-01..10-07
    ("2026-09-30T16:00+08:00", 3, date(2026, 10, 10)),  # Saturday worked
    ("2026-09-28T10:00+08:00", 7, date(2026, 10, 13)),
    ("2026-10-09T10:00+08:00", 1, date(2026, 10, 10)),
    # month ends, non-working starts, midnight on either side
    ("2026-07-31T10:00+08:00", 1, date(2026, 8, 3)),
    ("2026-03-08T10:00+08:00", 1, date(2026, 3, 9)),  # submitted on a Sunday
    ("2026-10-03T10:00+08:00", 1, date(2026, 10, 8)),  # submitted on a holiday
    ("2026-09-29T23:59:59+08:00", 1, date(2026, 9, 30)),
    ("2026-09-30T00:00:00+08:00", 1, date(2026, 10, 8)),
    ("2026-09-29T15:59:59Z", 1, date(2026, 9, 30)),
    ("2026-09-29T16:00:00Z", 1, date(2026, 10, 8)),
    ("2026-09-30T23:59:00+08:00", 1, date(2026, 10, 8)),
    ("2026-10-01T00:00:00+08:00", 1, date(2026, 10, 8)),
    ("2026-09-30T01:00:00-07:00", 1, date(2026, 10, 8)),  # the same instant in LA
    # zero working days: the start's own date, or the next working day
    ("2026-09-30T16:00+08:00", 0, date(2026, 9, 30)),
    ("2026-10-03T16:00+08:00", 0, date(2026, 10, 8)),
]

DAY_CASES = [
    ("2026-09-25T10:00+08:00", 7, date(2026, 10, 8)),  # 10-02 is a holiday
    ("2026-03-02T10:00+08:00", 7, date(2026, 3, 9)),
    ("2025-12-28T10:00+08:00", 7, date(2026, 1, 4)),  # lands on a Sunday worked
    ("2025-12-29T10:00+08:00", 3, date(2026, 1, 4)),  # lands on New Year
    ("2026-02-12T10:00+08:00", 7, date(2026, 2, 24)),  # Spring Festival
    ("2026-02-07T10:00+08:00", 7, date(2026, 2, 14)),  # Saturday worked, no move
    ("2026-02-20T10:00+08:00", 7, date(2026, 2, 27)),  # submitted on a holiday
    ("2026-03-30T10:00+08:00", 7, date(2026, 4, 7)),  # Qingming Monday
    ("2026-04-24T10:00+08:00", 7, date(2026, 5, 6)),  # Labour Day
    ("2026-05-02T10:00+08:00", 7, date(2026, 5, 9)),  # Saturday worked
    ("2026-06-12T10:00+08:00", 7, date(2026, 6, 22)),  # Dragon Boat
    ("2026-09-18T10:00+08:00", 7, date(2026, 9, 28)),  # Mid-Autumn
    ("2026-07-24T10:00+08:00", 7, date(2026, 7, 31)),  # month end, a Friday
    ("2026-01-24T10:00+08:00", 7, date(2026, 2, 2)),  # month end, a Saturday
    ("2026-12-24T10:00+08:00", 7, date(2026, 12, 31)),  # year end, a Thursday
    ("2026-04-29T23:59:59+08:00", 1, date(2026, 4, 30)),
    ("2026-04-30T00:00:00+08:00", 1, date(2026, 5, 6)),
    ("2026-04-29T15:59:59Z", 1, date(2026, 4, 30)),
    ("2026-04-29T16:00:00Z", 1, date(2026, 5, 6)),
    ("2026-10-03T10:00+08:00", 0, date(2026, 10, 8)),
    ("2026-09-30T10:00+08:00", 0, date(2026, 9, 30)),
]


def due_after(last_day: date) -> datetime:
    """Midnight at the end of ``last_day`` in Shanghai, as a UTC instant."""
    return datetime(last_day.year, last_day.month, last_day.day, 16, tzinfo=UTC)


class TestWorkingDaysAfter:
    @pytest.mark.parametrize(("start", "n", "last_day"), WORKING_DAY_CASES)
    def test_ends_at_24_00_of_the_nth_working_day(self, process_tz, start, n, last_day):
        deadline = working_days_after(CALENDAR, at(start), n)
        assert deadline.last_day == last_day
        assert deadline.due_at == due_after(last_day)
        assert deadline.due_at.tzinfo == UTC
        assert deadline.rule is Rule.WORKING_DAYS
        assert not deadline.provisional

    def test_explains_itself_in_one_line(self):
        deadline = working_days_after(CALENDAR, at("2026-09-30T16:00+08:00"), 1)
        assert deadline.explain() == (
            "1 working day from Wed 2026-09-30: skipped 10-01..10-07 "
            "(National Day) → Thu 2026-10-08 24:00"
        )

    def test_explains_weekends_and_exchanged_workdays(self):
        deadline = working_days_after(CALENDAR, at("2026-09-18T10:00+08:00"), 1)
        assert deadline.explain() == (
            "1 working day from Fri 2026-09-18: skipped 09-19 (weekend) "
            "→ Sun 2026-09-20 24:00, an exchanged workday"
        )


class TestDaysAfter:
    @pytest.mark.parametrize(("start", "n", "last_day"), DAY_CASES)
    def test_ends_at_24_00_of_the_day_or_the_next_working_day(
        self, process_tz, start, n, last_day
    ):
        deadline = days_after(CALENDAR, at(start), n)
        assert deadline.last_day == last_day
        assert deadline.due_at == due_after(last_day)
        assert deadline.rule is Rule.DAYS
        assert not deadline.provisional

    def test_explains_the_move_past_a_holiday(self):
        deadline = days_after(CALENDAR, at("2026-09-25T09:00+08:00"), 7)
        assert deadline.explain() == (
            "7 days from Fri 2026-09-25 (to Fri 2026-10-02): skipped 10-02..10-07 "
            "(National Day) → Thu 2026-10-08 24:00"
        )


class TestOnTime:
    @pytest.mark.parametrize(
        ("instant", "on_time"),
        [
            ("2026-10-08T23:59:59.999+08:00", True),
            ("2026-10-09T00:00:00+08:00", False),
            ("2026-10-08T15:59:59.999999Z", True),
            ("2026-10-08T16:00:00Z", False),
            ("2026-10-08T08:59:59-07:00", True),
            ("2026-10-08T09:00:00-07:00", False),
        ],
    )
    def test_an_act_is_on_time_until_the_last_instant_of_the_last_day(
        self, instant, on_time
    ):
        deadline = working_days_after(CALENDAR, at("2026-09-30T16:00+08:00"), 1)
        assert deadline.is_met_by(at(instant)) is on_time

    def test_a_naive_instant_cannot_be_judged(self):
        deadline = working_days_after(CALENDAR, at("2026-09-30T16:00+08:00"), 1)
        with pytest.raises(ValueError, match="naive"):
            deadline.is_met_by(datetime(2026, 10, 8, 12))


class TestRefusals:
    @pytest.mark.parametrize("compute", [working_days_after, days_after])
    def test_a_naive_start_is_refused_by_name(self, compute):
        with pytest.raises(ValueError, match=r"start .* naive datetime"):
            compute(CALENDAR, datetime(2026, 9, 30, 16), 1)

    @pytest.mark.parametrize("n", [-1, True, 1.5])
    def test_the_amount_must_be_a_whole_number_not_below_zero(self, n):
        with pytest.raises(ValueError, match="whole number"):
            working_days_after(CALENDAR, at("2026-09-30T16:00+08:00"), n)


class TestProvisional:
    def test_a_deadline_reaching_into_2027_is_provisional_with_the_reason(self):
        deadline = working_days_after(CALENDAR, at("2026-12-31T10:00+08:00"), 1)
        assert deadline.last_day == date(2027, 1, 1)  # a Friday: Mon–Fri only
        assert deadline.provisional
        assert "2027" in deadline.provisional_reason
        assert "[provisional: " in deadline.explain()

    def test_a_deadline_ending_before_the_unknown_year_is_not(self):
        deadline = days_after(CALENDAR, at("2026-12-24T10:00+08:00"), 7)
        assert not deadline.provisional
        assert deadline.provisional_reason is None

    def test_supplying_2027_changes_the_answer_and_the_version(self):
        stored = working_days_after(CALENDAR, at("2026-12-31T10:00+08:00"), 1)
        new_year = {date(2027, 1, d): (False, "New Year's Day") for d in (1, 2, 3)}
        official = WorkingCalendar(new_year, whole_years=[2027])
        again = recompute(official, stored.inputs())
        assert again.last_day == date(2027, 1, 4)
        assert not again.provisional
        assert again.calendar_version != stored.calendar_version


class TestReplay:
    @pytest.mark.parametrize(
        ("compute", "start", "n"),
        [
            (working_days_after, "2026-09-30T16:00+08:00", 1),
            (working_days_after, "2026-02-13T03:00Z", 7),
            (days_after, "2026-09-25T09:00-07:00", 7),
            (days_after, "2026-10-03T10:00+08:00", 0),
        ],
    )
    def test_inputs_are_json_and_recompute_the_same_deadline(self, compute, start, n):
        deadline = compute(CALENDAR, at(start), n)
        inputs = json.loads(json.dumps(deadline.inputs()))
        assert inputs["timezone"] == BUSINESS_TZ.key
        assert inputs["calendar_version"] == CALENDAR.version
        assert recompute(CALENDAR, inputs) == deadline

    def test_incomplete_inputs_are_refused(self):
        with pytest.raises(ValueError, match="lack amount"):
            recompute(CALENDAR, {"rule": "days", "start": "x", "timezone": "UTC"})

    def test_an_unknown_rule_is_refused(self):
        inputs = {"rule": "weeks", "amount": 1, "start": "", "timezone": "UTC"}
        with pytest.raises(ValueError, match="unknown deadline rule"):
            recompute(CALENDAR, inputs)

    def test_a_start_given_in_another_zone_gives_the_same_deadline(self):
        shanghai = at("2026-09-30T16:00+08:00")
        los_angeles = shanghai.astimezone(ZoneInfo("America/Los_Angeles"))
        assert working_days_after(CALENDAR, los_angeles, 1) == working_days_after(
            CALENDAR, shanghai, 1
        )


def reference_last_day(rule: Rule, local: date, n: int) -> date:
    """Step day by day with chinese_calendar itself."""
    if rule is Rule.DAYS or n == 0:
        day = local + timedelta(days=n)
        while not chinese_calendar.is_workday(day):
            day += timedelta(days=1)
        return day
    day, counted = local, 0
    while counted < n:
        day += timedelta(days=1)
        counted += chinese_calendar.is_workday(day)
    return day


@settings(max_examples=300, deadline=None)
@given(
    instant=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2026, 11, 30)
    ),
    n=st.integers(min_value=0, max_value=10),
    rule=st.sampled_from(list(Rule)),
)
def test_agrees_with_stepping_through_chinese_calendar(instant, n, rule):
    start = instant.replace(tzinfo=UTC)
    compute = working_days_after if rule is Rule.WORKING_DAYS else days_after
    deadline = compute(CALENDAR, start, n)
    local = start.astimezone(CST).date()
    assert deadline.last_day == reference_last_day(rule, local, n)
    assert deadline.is_met_by(deadline.due_at - timedelta(microseconds=1))
    assert not deadline.is_met_by(deadline.due_at)
