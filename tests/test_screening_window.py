"""The screening window as dates, proved against the Civil Code month arithmetic
of ``periods.eligible_from`` and the one-time notice of ``eligibility``."""

from datetime import date, timedelta

import pytest

from credit_repair.workflow.calendar import WorkingCalendar
from credit_repair.workflow.eligibility import (
    CompanyFacts,
    RecordFacts,
    check_eligibility,
)
from credit_repair.workflow.periods import eligible_from
from credit_repair.workflow.quarters import quarter_due, quarter_label, start_day
from credit_repair.workflow.regimes import load_regime
from credit_repair.workflow.screening import latest_start, screening_criteria

TWO_YEARS = [date(2025, 1, 1) + timedelta(days=n) for n in range(731)]
ONE_DAY = timedelta(days=1)


@pytest.mark.parametrize("months", [0, 1, 3, 6, 12, 36])
def test_latest_start_is_the_last_day_whose_period_is_over(months):
    for as_of in TWO_YEARS:
        latest = latest_start(as_of, months)
        assert eligible_from(latest, months) <= as_of, (as_of, latest)
        assert eligible_from(latest + ONE_DAY, months) > as_of, (as_of, latest)


def test_every_start_day_agrees_with_eligible_from_around_month_ends():
    for as_of in [date(2026, 3, 1), date(2026, 2, 28), date(2026, 5, 31)]:
        latest = latest_start(as_of, 3)
        for offset in range(-120, 40):
            start = latest + timedelta(days=offset)
            assert (start <= latest) == (eligible_from(start, 3) <= as_of)


def test_the_design_example_month_end():
    # decided 2025-11-30, 3 months: eligible from 2026-03-01
    assert latest_start(date(2026, 3, 1), 3) == date(2025, 11, 30)
    assert latest_start(date(2026, 2, 28), 3) == date(2025, 11, 27)


@pytest.mark.parametrize("regime_name", ["kunming-2020", "national-2023"])
@pytest.mark.parametrize("penalty_class", ["general", "severe"])
def test_the_window_matches_the_one_time_notice(regime_name, penalty_class):
    regime = load_regime(regime_name)
    for as_of in TWO_YEARS[::7]:
        window = screening_criteria(regime, as_of).window(penalty_class)
        for start in [as_of - timedelta(days=n) for n in range(0, 1200, 3)]:
            facts = RecordFacts(penalty_class, decision_date=start)
            unmet = check_eligibility(
                facts, CompanyFacts(), "batch", regime, as_of, documents=()
            )
            assert window.includes(start) == (unmet == []), (as_of, start, unmet)


def test_specific_severe_is_screened_with_the_severe_minimum_and_marked():
    regime = load_regime("kunming-2020")
    criteria = screening_criteria(regime, date(2026, 4, 1))
    specific = criteria.window("specific_severe")
    assert (specific.group, specific.marked) == ("severe", True)
    assert specific.started_through == criteria.window("severe").started_through
    assert specific.started_after == date(2023, 3, 31)
    assert criteria.window("general").started_through == date(2025, 12, 31)
    assert not criteria.window("general").marked


def test_criteria_survive_storage_as_json():
    criteria = screening_criteria(load_regime("kunming-2020"), date(2026, 7, 1))
    assert type(criteria).from_dict(criteria.as_dict()) == criteria


class TestQuarterStart:
    calendar = WorkingCalendar()

    def test_new_year_2026_starts_on_the_exchanged_sunday(self):
        assert start_day(self.calendar, date(2026, 2, 15)) == date(2026, 1, 4)
        assert quarter_due(self.calendar, date(2026, 1, 3)) is None
        assert quarter_due(self.calendar, date(2026, 1, 4)) == "2026Q1"

    def test_national_day_2026_moves_the_start_to_october_8(self):
        assert start_day(self.calendar, date(2026, 10, 1)) == date(2026, 10, 8)
        assert quarter_due(self.calendar, date(2026, 10, 7)) is None
        assert quarter_due(self.calendar, date(2026, 10, 8)) == "2026Q4"

    def test_a_missed_start_is_caught_up_within_the_first_month_only(self):
        assert quarter_due(self.calendar, date(2026, 4, 30)) == "2026Q2"
        assert quarter_due(self.calendar, date(2026, 5, 1)) is None
        assert quarter_label(date(2026, 12, 31)) == "2026Q4"
