"""Civil Code month arithmetic for disclosure periods."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credit_repair.workflow.periods import add_months, eligible_from, period_end


class TestPeriodEnd:
    @pytest.mark.parametrize(
        ("decided", "months", "ends", "eligible"),
        [
            (date(2025, 11, 30), 3, date(2026, 2, 28), date(2026, 3, 1)),
            (date(2027, 11, 30), 3, date(2028, 2, 29), date(2028, 3, 1)),  # leap
            (date(2028, 2, 29), 12, date(2029, 2, 28), date(2029, 3, 1)),
            (date(2024, 1, 31), 1, date(2024, 2, 29), date(2024, 3, 1)),
            (date(2025, 1, 31), 1, date(2025, 2, 28), date(2025, 3, 1)),
            (date(2025, 8, 31), 1, date(2025, 9, 30), date(2025, 10, 1)),
            (date(2025, 12, 31), 6, date(2026, 6, 30), date(2026, 7, 1)),
            (date(2025, 10, 31), 12, date(2026, 10, 31), date(2026, 11, 1)),
            (date(2025, 12, 15), 1, date(2026, 1, 15), date(2026, 1, 16)),
            (date(2025, 6, 30), 6, date(2025, 12, 30), date(2025, 12, 31)),
            (date(2023, 5, 31), 36, date(2026, 5, 31), date(2026, 6, 1)),
            (date(2026, 3, 15), 0, date(2026, 3, 15), date(2026, 3, 16)),
        ],
    )
    def test_ends_on_the_same_day_number_or_the_month_end(
        self, decided, months, ends, eligible
    ):
        assert period_end(decided, months) == ends
        assert eligible_from(decided, months) == eligible

    def test_a_negative_period_is_refused(self):
        with pytest.raises(ValueError):
            period_end(date(2026, 1, 1), -1)


class TestAddMonths:
    def test_counts_backwards_too(self):
        assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
        assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)

    @given(
        day=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
        months=st.integers(min_value=0, max_value=120),
    )
    def test_lands_in_the_right_month_on_the_same_or_last_day(self, day, months):
        result = add_months(day, months)
        assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
        last_of_month = (result + timedelta(days=1)).day == 1
        assert result.day == day.day or (result.day < day.day and last_of_month)
