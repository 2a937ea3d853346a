"""Working-day tables written in TOML: official year arrangements and single-day
corrections, read into a :class:`~credit_repair.workflow.calendar.CalendarTable`.

The format (a full sample is ``docs/calendar-overrides.example.toml``)::

    source = "国务院办公厅关于2027年部分节假日安排的通知"  # optional

    [[year]]          # a whole year: a day not listed works exactly when Mon–Fri
    year = 2027
    holidays = [
        { name = "New Year's Day", first = 2027-01-01, last = 2027-01-03 },
        { name = "Spring Festival", days = [2027-02-06, 2027-02-07] },
    ]
    workdays = [      # weekend days worked in exchange (调休上班)
        { name = "Spring Festival", days = [2027-02-20] },
    ]

    [[day]]           # a correction of one day, in any year
    day = 2026-10-09
    working = false
    name = "Local closure"

Dates are TOML dates or ISO strings. A day listed twice is an error.
"""

import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path

from credit_repair.workflow.calendar import (
    CalendarTable,
    DayOverride,
    WorkingCalendar,
)


class CalendarFileError(ValueError):
    """Raised when a calendar file is unreadable, malformed or contradicts itself."""


def read_calendar_file(path: str | Path, label: str = "overrides") -> CalendarTable:
    """The table in the TOML file at ``path``; ``label`` names it in versions."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CalendarFileError(f"{path}: cannot read: {exc.strerror}") from exc
    return parse_calendar_table(text, label=label, origin=str(path))


def load_override_file(
    path: str | Path, base: WorkingCalendar | None = None
) -> WorkingCalendar:
    """``base`` (by default the package data) with the override file laid over it."""
    return (base or WorkingCalendar()).with_table(read_calendar_file(path))


def parse_calendar_table(
    text: str, label: str = "overrides", origin: str = "<text>"
) -> CalendarTable:
    """The table described by the TOML ``text``; ``origin`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarFileError(f"{origin}: not valid TOML: {exc}") from exc
    _check_keys(data, {"source", "year", "day"}, origin)
    source = _text(data.get("source", Path(origin).name), "source", origin)

    days: dict[date, DayOverride] = {}
    years: set[int] = set()
    for entry in _tables(data, "year", origin):
        year = _year_entry(entry, source, days, origin)
        if year in years:
            raise CalendarFileError(f"{origin}: year {year} is listed twice")
        years.add(year)
    for entry in _tables(data, "day", origin):
        where = f"{origin}: [[day]]"
        _check_keys(entry, {"day", "working", "name", "source"}, where)
        day = _date(entry.get("day"), where)
        working = entry.get("working")
        if not isinstance(working, bool):
            raise CalendarFileError(f"{where} {day}: 'working' must be true or false")
        name = _text(entry.get("name"), "name", where, required=False)
        day_source = _text(entry.get("source", source), "source", where)
        _add(days, DayOverride(day, working, name, day_source), where)

    ordered = tuple(sorted(days.values(), key=lambda d: d.day))
    return CalendarTable(label, ordered, frozenset(years))


def _year_entry(
    entry: dict, source: str, days: dict[date, DayOverride], origin: str
) -> int:
    where = f"{origin}: [[year]]"
    _check_keys(entry, {"year", "source", "holidays", "workdays"}, where)
    year = entry.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or year < 1900:
        raise CalendarFileError(f"{where}: 'year' must be a year such as 2027")
    where = f"{where} {year}"
    year_source = _text(entry.get("source", source), "source", where)

    for key, is_working in (("holidays", False), ("workdays", True)):
        for group in _tables(entry, key, where):
            _check_keys(group, {"name", "days", "first", "last"}, f"{where} {key}")
            name = _text(group.get("name"), "name", f"{where} {key}")
            for day in _group_days(group, f"{where} {key} {name!r}"):
                if day.year != year:
                    raise CalendarFileError(f"{where}: {day} is not in {year}")
                if is_working and day.weekday() < 5:
                    raise CalendarFileError(
                        f"{where}: {day} is a weekday; 'workdays' lists only "
                        "weekend days worked in exchange"
                    )
                _add(days, DayOverride(day, is_working, name, year_source), where)
    return year


def _group_days(group: dict, where: str) -> list[date]:
    if "days" in group:
        if "first" in group or "last" in group:
            raise CalendarFileError(f"{where}: give 'days' or 'first'/'last', not both")
        listed = group["days"]
        if not isinstance(listed, list) or not listed:
            raise CalendarFileError(f"{where}: 'days' must be a non-empty list")
        return [_date(value, where) for value in listed]
    first = _date(group.get("first"), where)
    last = _date(group.get("last", first), where)
    if last < first:
        raise CalendarFileError(f"{where}: 'last' {last} is before 'first' {first}")
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _add(days: dict[date, DayOverride], entry: DayOverride, where: str) -> None:
    if entry.day in days:
        raise CalendarFileError(f"{where}: {entry.day} is listed twice")
    days[entry.day] = entry


def _tables(data: dict, key: str, where: str) -> list[dict]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise CalendarFileError(f"{where}: '{key}' must be a list of tables")
    return value


def _date(value: object, where: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise CalendarFileError(f"{where}: {value!r} is not a date such as 2027-01-01")


def _text(value: object, key: str, where: str, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise CalendarFileError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _check_keys(data: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise CalendarFileError(
            f"{where}: unknown key(s) {', '.join(unknown)}; "
            f"expected {', '.join(sorted(allowed))}"
        )
