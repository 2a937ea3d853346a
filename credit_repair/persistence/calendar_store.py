"""The working-day calendar this process runs with: for now the package data only."""

from credit_repair.workflow.calendar import WorkingCalendar


def load_calendar(engine, settings) -> WorkingCalendar:
    """The calendar for ``engine``'s database and ``settings``."""
    return WorkingCalendar()
