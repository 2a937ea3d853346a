"""Official working-day year tables kept in the database, and the calendar built
from the package data, the settings' override file and those tables, in that order.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, delete, select

from credit_repair.persistence.tables import CalendarDay
from credit_repair.settings import Settings
from credit_repair.workflow.calendar import CalendarTable, DayOverride, WorkingCalendar
from credit_repair.workflow.calendar_file import read_calendar_file

OFFICIAL_LABEL = "official tables"
_NAME_LENGTH = 60
_SOURCE_LENGTH = 200


@dataclass(frozen=True)
class YearLoad:
    """What loading one year changed: ``added``, ``replaced`` or ``unchanged``."""

    year: int
    outcome: str
    holidays: int
    exchanged_workdays: int
    source: str


def official_days(engine: Engine) -> list[DayOverride]:
    """Every day of the year tables loaded by staff."""
    with Session(engine) as session:
        rows = session.exec(select(CalendarDay).order_by(col(CalendarDay.day))).all()
    return [DayOverride(r.day, r.is_working, r.name, r.source) for r in rows]


def load_calendar(engine: Engine, settings: Settings) -> WorkingCalendar:
    """The package data, then the override file, then the loaded year tables."""
    calendar = WorkingCalendar()
    if settings.calendar_overrides is not None:
        calendar = calendar.with_table(read_calendar_file(settings.calendar_overrides))
    return calendar.with_official_days(official_days(engine), OFFICIAL_LABEL)


def store_year_tables(
    engine: Engine, table: CalendarTable, loaded_at: datetime
) -> list[YearLoad]:
    """Store every whole year of ``table``, replacing a different earlier table
    of the same year; storing the same table again changes nothing."""
    _check_storable(table)
    loads = []
    with Session(engine) as session:
        for year in sorted(table.whole_years):
            days = [d for d in table.days if d.day.year == year]
            loads.append(_store_year(session, year, days, loaded_at))
        session.commit()
    return loads


def _store_year(
    session: Session, year: int, days: list[DayOverride], loaded_at: datetime
) -> YearLoad:
    in_year = col(CalendarDay.day).between(date(year, 1, 1), date(year, 12, 31))
    stored = session.exec(select(CalendarDay).where(in_year)).all()
    current = {(r.day, r.is_working, r.name, r.source) for r in stored}
    wanted = {(d.day, d.is_working, d.name, d.source) for d in days}
    outcome = "unchanged" if current == wanted else "replaced" if stored else "added"
    if outcome != "unchanged":
        session.exec(delete(CalendarDay).where(in_year))
        session.add_all(
            CalendarDay(
                day=d.day,
                is_working=d.is_working,
                name=d.name,
                source=d.source,
                loaded_at=loaded_at,
            )
            for d in days
        )
    return YearLoad(
        year=year,
        outcome=outcome,
        holidays=sum(not d.is_working for d in days),
        exchanged_workdays=sum(d.is_working for d in days),
        source=", ".join(sorted({d.source or "" for d in days})),
    )


def _check_storable(table: CalendarTable) -> None:
    if not table.whole_years:
        raise ValueError("the file states no whole year: nothing to load")
    for year in table.whole_years:
        if not any(d.day.year == year for d in table.days):
            raise ValueError(f"the table for {year} lists no days")
    for d in table.days:
        if d.day.year not in table.whole_years:
            raise ValueError(
                f"{d.day} is a single-day correction; only whole year tables can "
                "be loaded (put corrections in the override file instead)"
            )
        if d.name and len(d.name) > _NAME_LENGTH:
            raise ValueError(f"{d.day}: name longer than {_NAME_LENGTH} characters")
        if not d.source or len(d.source) > _SOURCE_LENGTH:
            raise ValueError(f"{d.day}: source must be 1-{_SOURCE_LENGTH} characters")
