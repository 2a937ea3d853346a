"""Quarters and the day the quarterly batch starts: the first working day of
January, April, July and October, from the working-day calendar.

A batch the scheduler missed on that day (the service was down) still starts on
a later run, up to the last day of the quarter's first month; after that the
office starts one by hand if it wants one.
"""

from calendar import monthrange
from datetime import date

from credit_repair.workflow.calendar import WorkingCalendar


def quarter_label(day: date) -> str:
    """``2026Q2`` for any day of April to June 2026."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_start(day: date) -> date:
    """The first calendar day of ``day``'s quarter."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def start_day(calendar: WorkingCalendar, day: date) -> date:
    """The first working day of ``day``'s quarter."""
    return calendar.first_working_day_from(quarter_start(day))


def catch_up_until(day: date) -> date:
    """The last day on which a missed quarterly batch still starts by itself."""
    first = quarter_start(day)
    return first.replace(day=monthrange(first.year, first.month)[1])


def quarter_due(calendar: WorkingCalendar, today: date) -> str | None:
    """The label of the quarter whose batch should be running by ``today``, or
    None before its start day and after the catch-up window."""
    if start_day(calendar, today) <= today <= catch_up_until(today):
        return quarter_label(today)
    return None
