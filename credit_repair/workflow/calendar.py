"""China's working days (工作日): the State Council's yearly arrangement, including
weekend days worked in exchange (调休), with every answer traceable to its source.

The base data is the ``chinese-calendar`` package. Calendar tables laid over it
(an override file, official year tables loaded by staff) correct single days or
replace whole years; see :mod:`credit_repair.workflow.calendar_file` for the file
format. A year that no source knows is answered Monday to Friday and marked
provisional: a library's guess is never used.
"""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import chinese_calendar

PACKAGE_LABEL = f"chinese-calendar {chinese_calendar.__version__}"


@dataclass(frozen=True)
class DayOverride:
    """One day of an official arrangement or a correction: working or not, and why."""

    day: date
    is_working: bool
    name: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class CalendarTable:
    """A layer of calendar data: single days, and the years it states in full.

    A whole year replaces everything earlier layers said about that year; days
    of it that are not listed are working days exactly when they fall Mon–Fri.
    """

    label: str
    days: tuple[DayOverride, ...]
    whole_years: frozenset[int] = frozenset()

    @property
    def years(self) -> tuple[int, ...]:
        """Every year the table says something about."""
        return tuple(sorted(self.whole_years | {d.day.year for d in self.days}))

    @property
    def digest(self) -> str:
        """Short SHA-256 of the content, the same whichever way it was stored."""
        lines = [f"year {year}" for year in sorted(self.whole_years)]
        lines += [
            f"{d.day.isoformat()} {int(d.is_working)} {d.name or ''}"
            for d in sorted(self.days, key=lambda d: d.day)
        ]
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:8]

    def describe(self) -> str:
        """``label sha256:1a2b3c4d (2027)``, as shown in a calendar version."""
        return f"{self.label} sha256:{self.digest} ({_year_ranges(self.years)})"


@dataclass(frozen=True)
class YearTable:
    """A year's holidays and exchanged workdays, as ``calendar show`` prints them."""

    year: int
    source: str
    holidays: tuple[DayOverride, ...]
    exchanged_workdays: tuple[DayOverride, ...]
    provisional_reason: str | None

    @property
    def provisional(self) -> bool:
        return self.provisional_reason is not None


class WorkingCalendar:
    """Whether a day is a working day in mainland China, and by which source.

    ``overrides`` maps a day to a :class:`DayOverride` or to an
    ``(is_working, name)`` pair; ``whole_years`` are years the overrides state
    in full. Instances are immutable: the ``with_*`` methods return new ones.
    """

    def __init__(
        self,
        overrides: Mapping[date, DayOverride | tuple[bool, str | None]] | None = None,
        *,
        whole_years: Iterable[int] = (),
        source_note: str = "overrides",
    ) -> None:
        tables: tuple[CalendarTable, ...] = ()
        years = frozenset(whole_years)
        if overrides or years:
            days = tuple(_as_override(day, v) for day, v in (overrides or {}).items())
            tables = (CalendarTable(source_note, days, years),)
        self._build(tables)

    def _build(self, tables: tuple[CalendarTable, ...]) -> None:
        package = _package_table()
        days = {d.day: d for d in package.days}
        sources = dict.fromkeys(package.whole_years, package.label)
        for table in tables:
            if table.whole_years:
                days = {
                    k: v for k, v in days.items() if k.year not in table.whole_years
                }
                sources.update(dict.fromkeys(table.whole_years, table.label))
            days.update((d.day, d) for d in table.days)
        self._tables = tables
        self._days = days
        self._sources = sources
        first, last = min(package.whole_years), max(package.whole_years)
        self._version = " + ".join(
            [f"{package.label} ({first}-{last})", *(t.describe() for t in tables)]
        )

    def with_table(self, table: CalendarTable) -> "WorkingCalendar":
        """This calendar with ``table`` laid over it."""
        calendar = WorkingCalendar.__new__(WorkingCalendar)
        calendar._build((*self._tables, table))
        return calendar

    def with_official_days(
        self, days: Iterable[DayOverride], source_note: str = "official tables"
    ) -> "WorkingCalendar":
        """This calendar with official year tables (as loaded by staff) laid over it.

        Every year with at least one listed day counts as stated in full.
        """
        days = tuple(days)
        if not days:
            return self
        years = frozenset(d.day.year for d in days)
        return self.with_table(CalendarTable(source_note, days, years))

    @property
    def version(self) -> str:
        """Data sources and the years they supply, e.g.
        ``chinese-calendar 1.11.0 (2004-2026) + overrides sha256:1a2b3c4d (2027)``."""
        return self._version

    def is_working_day(self, day: date) -> bool:
        entry = self._days.get(day)
        if entry is not None:
            return entry.is_working
        return day.weekday() < 5

    def holiday_name(self, day: date) -> str | None:
        """The holiday a rest day belongs to; None on working days, plain weekends."""
        entry = self._days.get(day)
        if entry is None or entry.is_working:
            return None
        return entry.name

    def is_exchanged_workday(self, day: date) -> bool:
        """A Saturday or Sunday worked in exchange for a holiday (调休上班)."""
        return day.weekday() >= 5 and self.is_working_day(day)

    def is_provisional(self, day: date) -> bool:
        """True when no source states the day's year; answers then follow Mon–Fri."""
        return day.year not in self._sources

    def provisional_reason(self, day: date) -> str | None:
        if not self.is_provisional(day):
            return None
        return (
            f"no official working-day arrangement for {day.year} (the calendar "
            f"knows {_year_ranges(self._sources)}): Mon–Fri counted as working days"
        )

    def known_years(self) -> tuple[int, ...]:
        return tuple(sorted(self._sources))

    def source_of(self, year: int) -> str | None:
        """The label of the source that states ``year`` in full, if any."""
        return self._sources.get(year)

    def first_working_day_from(self, day: date) -> date:
        """``day`` itself when it is a working day, else the next working day."""
        for _ in range(366):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError(f"no working day in the year from {day}: check the calendar")

    def year_table(self, year: int) -> YearTable:
        """Holidays (named rest days) and exchanged workdays of ``year``."""
        entries = sorted(
            (d for d in self._days.values() if d.day.year == year), key=lambda d: d.day
        )
        holidays = tuple(d for d in entries if not d.is_working)
        exchanged = tuple(d for d in entries if d.is_working and d.day.weekday() >= 5)
        return YearTable(
            year=year,
            source=self._sources.get(year, "weekdays only"),
            holidays=holidays,
            exchanged_workdays=exchanged,
            provisional_reason=self.provisional_reason(date(year, 1, 1)),
        )

    def __repr__(self) -> str:
        return f"WorkingCalendar({self._version!r})"


@cache
def _package_table() -> CalendarTable:
    """The chinese-calendar data as a table; built on first use, never at import."""
    workdays = chinese_calendar.workdays
    days = [
        DayOverride(day, False, name, PACKAGE_LABEL)
        for day, name in chinese_calendar.holidays.items()
        if day not in workdays
    ]
    days += [
        DayOverride(day, True, name, PACKAGE_LABEL) for day, name in workdays.items()
    ]
    return CalendarTable(PACKAGE_LABEL, tuple(days), _package_years())


def _package_years() -> frozenset[int]:
    """The years chinese-calendar answers for: it raises NotImplementedError for
    any other, and that refusal, not a guess, decides."""
    listed = {day.year for day in chinese_calendar.holidays}
    known = set()
    for year in range(min(listed) - 1, max(listed) + 2):
        try:
            chinese_calendar.is_workday(date(year, 7, 1))
        except NotImplementedError:
            continue
        known.add(year)
    return frozenset(known)


def _as_override(
    day: date, value: DayOverride | tuple[bool, str | None]
) -> DayOverride:
    if isinstance(value, DayOverride):
        if value.day != day:
            raise ValueError(f"override keyed {day} describes {value.day}")
        return value
    is_working, name = value
    return DayOverride(day, bool(is_working), name)


def consecutive_runs(
    labelled: Iterable[tuple[date, str | None]],
) -> list[tuple[date, date, str | None]]:
    """Group ascending ``(day, label)`` pairs into ``(first, last, label)`` runs of
    consecutive days that share a label."""
    runs: list[tuple[date, date, str | None]] = []
    for day, label in labelled:
        if runs and runs[-1][2] == label and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day, label)
        else:
            runs.append((day, day, label))
    return runs


def _year_ranges(years: Iterable[int]) -> str:
    """``2004-2026, 2028`` for a sorted run of years."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)
