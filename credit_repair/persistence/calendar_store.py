"""The working-day calendar the service runs with, as stored for this database."""

from credit_repair.workflow.calendar import WorkingCalendar


def load_calendar(engine, settings) -> WorkingCalendar:
    """The package calendar, without tables loaded by staff."""
    return WorkingCalendar()
