"""Disclosure periods in months, counted as the Civil Code counts them: the start
day is not counted, and a period ends on the same day-number N months later, or
on that month's last day when it has no such day.
"""

from calendar import monthrange
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day-number ``months`` later (or earlier), clipped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def period_end(decision_date: date, months: int) -> date:
    """Last day of a period of ``months`` that starts after ``decision_date``.

    Decided 2025-11-30, 3 months: ends 2026-02-28.
    """
    if months < 0:
        raise ValueError(f"a period cannot last {months} months")
    return add_months(decision_date, months)


def eligible_from(decision_date: date, months: int) -> date:
    """First day after the period: decided 2025-11-30, 3 months → 2026-03-01."""
    return period_end(decision_date, months) + timedelta(days=1)
