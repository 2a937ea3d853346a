"""Deadlines in working days or calendar days, each ending at 24:00 business time
of its last day, with the inputs and calendar version needed to recompute it.

``N working days`` end on the Nth working day strictly after the start's local
date. ``N days`` end on the local date + N, moved to the next working day when
that is a rest day (Civil Code art. 203). With N = 0 both rules end on the start's
own date, or on the next working day when that date is a rest day.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from credit_repair.workflow.calendar import WorkingCalendar, consecutive_runs

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")
_LONGEST_REST = 366
_JUST_BEFORE = timedelta(microseconds=1)


class Rule(StrEnum):
    """How a deadline counts."""

    WORKING_DAYS = "working_days"
    DAYS = "days"


@dataclass(frozen=True)
class SkippedDays:
    """Consecutive rest days that a deadline passed over, for one reason."""

    first: date
    last: date
    reason: str


@dataclass(frozen=True)
class Deadline:
    """A computed due instant: on time means strictly before ``due_at``."""

    rule: Rule
    amount: int
    start: datetime
    last_day: date
    due_at: datetime
    provisional: bool
    provisional_reason: str | None
    calendar_version: str
    timezone: str = BUSINESS_TZ.key
    skipped: tuple[SkippedDays, ...] = ()

    def is_met_by(self, instant: datetime) -> bool:
        """Whether an act at ``instant`` is on time; 23:59:59.999 on the last day is."""
        _require_aware(instant, "instant")
        return instant < self.due_at

    def inputs(self) -> dict[str, Any]:
        """JSON-ready inputs from which :func:`recompute` gives this deadline again."""
        return {
            "rule": str(self.rule),
            "amount": self.amount,
            "start": self.start.isoformat(),
            "timezone": self.timezone,
            "calendar_version": self.calendar_version,
        }

    @property
    def local_due(self) -> datetime:
        """``due_at`` in business time: midnight at the end of ``last_day``."""
        return self.due_at.astimezone(ZoneInfo(self.timezone))

    def explain(self) -> str:
        """One line, e.g. ``1 working day from Wed 2026-09-30: skipped 10-01..10-07
        (National Day) → Thu 2026-10-08 24:00``."""
        origin = self.start.astimezone(ZoneInfo(self.timezone)).date()
        unit = "working day" if self.rule is Rule.WORKING_DAYS else "day"
        text = f"{self.amount} {unit}{'' if self.amount == 1 else 's'} from "
        text += weekday_date(origin)
        if self.rule is Rule.DAYS and self.amount:
            text += f" (to {weekday_date(origin + timedelta(days=self.amount))})"
        if self.skipped:
            runs = ", ".join(_run_text(run, origin.year) for run in self.skipped)
            text += f": skipped {runs}"
        text += f" → {weekday_date(self.last_day)} 24:00"
        if self.last_day.weekday() >= 5:
            text += ", an exchanged workday"
        if self.provisional:
            text += f" [provisional: {self.provisional_reason}]"
        return text


def closing_instant(due_at: datetime) -> datetime:
    """The last on-time instant of a deadline due at ``due_at``. A phase that begins
    when a deadline closes is counted from here, however late the scheduler fired:
    due Wed 24:00 → counted from Wed, even when the job ran on Thu 00:05."""
    _require_aware(due_at, "due_at")
    return due_at - _JUST_BEFORE


def working_days_after(
    calendar: WorkingCalendar, start: datetime, n: int, tz: ZoneInfo = BUSINESS_TZ
) -> Deadline:
    """End of the ``n``th working day strictly after ``start``'s local date."""
    origin = _local_date(start, n, tz)
    if n == 0:
        return _deadline(calendar, Rule.WORKING_DAYS, n, start, tz, origin, 1)
    return _deadline(
        calendar, Rule.WORKING_DAYS, n, start, tz, origin + timedelta(days=1), n
    )


def days_after(
    calendar: WorkingCalendar, start: datetime, n: int, tz: ZoneInfo = BUSINESS_TZ
) -> Deadline:
    """End of ``start``'s local date + ``n``, or of the next working day after it."""
    origin = _local_date(start, n, tz)
    return _deadline(calendar, Rule.DAYS, n, start, tz, origin + timedelta(days=n), 1)


def recompute(calendar: WorkingCalendar, inputs: dict[str, Any]) -> Deadline:
    """The deadline that ``inputs`` (from :meth:`Deadline.inputs`) describe, on
    ``calendar``; compare its ``due_at`` with the stored one after a reload."""
    missing = {"rule", "amount", "start", "timezone"} - set(inputs)
    if missing:
        raise ValueError(f"deadline inputs lack {', '.join(sorted(missing))}")
    compute = {Rule.WORKING_DAYS: working_days_after, Rule.DAYS: days_after}
    try:
        rule = Rule(inputs["rule"])
    except ValueError:
        raise ValueError(f"unknown deadline rule {inputs['rule']!r}") from None
    start = datetime.fromisoformat(inputs["start"])
    return compute[rule](
        calendar, start, int(inputs["amount"]), ZoneInfo(inputs["timezone"])
    )


def _deadline(
    calendar: WorkingCalendar,
    rule: Rule,
    n: int,
    start: datetime,
    tz: ZoneInfo,
    first: date,
    working_days: int,
) -> Deadline:
    """Walk from ``first`` until the ``working_days``th working day is reached."""
    day, rest, reasons = first, [], []
    counted = 0
    while True:
        reason = calendar.provisional_reason(day)
        if reason and reason not in reasons:
            reasons.append(reason)
        if calendar.is_working_day(day):
            counted += 1
            if counted == working_days:
                break
        else:
            rest.append(day)
            if len(rest) > _LONGEST_REST:
                raise ValueError(f"no working day within a year of {first}")
        day += timedelta(days=1)

    midnight = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz)
    return Deadline(
        rule=rule,
        amount=n,
        start=start,
        last_day=day,
        due_at=midnight.astimezone(UTC),
        provisional=bool(reasons),
        provisional_reason="; ".join(reasons) or None,
        calendar_version=calendar.version,
        timezone=tz.key,
        skipped=_runs(calendar, rest),
    )


def _runs(calendar: WorkingCalendar, rest: list[date]) -> tuple[SkippedDays, ...]:
    """Group rest days into runs of consecutive days with the same reason."""

    def reason(day: date) -> str:
        name = calendar.holiday_name(day)
        return name or ("weekend" if day.weekday() >= 5 else "rest day")

    runs = consecutive_runs((day, reason(day)) for day in rest)
    return tuple(SkippedDays(*run) for run in runs)


def _run_text(run: SkippedDays, year: int) -> str:
    def short(day: date) -> str:
        return day.strftime("%m-%d") if day.year == year else day.isoformat()

    days = short(run.first)
    if run.last != run.first:
        days += f"..{short(run.last)}"
    return f"{days} ({run.reason})"


def weekday_date(day: date) -> str:
    """``Thu 2026-10-08``, the same under every locale."""
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day.weekday()]
    return f"{weekday} {day.isoformat()}"


def _require_aware(instant: datetime, what: str) -> None:
    if not isinstance(instant, datetime):
        raise TypeError(f"{what} must be a datetime, not {type(instant).__name__}")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(
            f"{what} {instant.isoformat()} is a naive datetime: give it a time "
            "zone (e.g. +08:00), a deadline is counted from an instant"
        )


def _local_date(start: datetime, n: int, tz: ZoneInfo) -> date:
    """The start's date in business time, once start and amount are checked."""
    _require_aware(start, "start")
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"a deadline needs a whole number of days >= 0, not {n!r}")
    return start.astimezone(tz).date()
