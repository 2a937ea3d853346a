"""The working-day calendar the bootstrap gives the service layer: here the package
data only, without official year tables kept in the database."""

from sqlalchemy import Engine

from credit_repair.settings import Settings
from credit_repair.workflow.calendar import WorkingCalendar


def load_calendar(engine: Engine, settings: Settings) -> WorkingCalendar:
    """The calendar of the package data."""
    return WorkingCalendar()
