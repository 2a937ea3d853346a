"""Which records a batch screens (批量筛选): for each penalty class, the window of
period-start days whose minimum period is over and whose maximum is not, as two
dates, so that the database only has to compare dates.

A period that starts on day D has passed ``months`` on ``as_of`` exactly when
``eligible_from(D, months) <= as_of``. That day moves forward with D, so the days
that qualify are all those up to one latest day: :func:`latest_start`.
"""

from calendar import monthrange
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from credit_repair.workflow.periods import add_months
from credit_repair.workflow.regimes import PenaltyClass, Regime

# Specific-severe records are screened with the severe minimum and marked, so that
# the office's review removes them before their maximum (DESIGN §3.2).
SCREENED_AS = {
    PenaltyClass.GENERAL: PenaltyClass.GENERAL,
    PenaltyClass.SEVERE: PenaltyClass.SEVERE,
    PenaltyClass.SPECIFIC_SEVERE: PenaltyClass.SEVERE,
}


def latest_start(as_of: date, months: int) -> date:
    """The last day a period of ``months`` may start on and be over by ``as_of``.

    ``eligible_from(D, months) <= as_of`` means the period ends on or before
    ``as_of - 1 day`` (call it Y). The days of the month ``months`` before Y end
    in Y's month on their own day-number, clipped to its length: they qualify up
    to Y's day-number, and all of them when Y is the last day of its month.
    """
    if months < 0:
        raise ValueError(f"a period cannot last {months} months")
    last = as_of - timedelta(days=1)
    back = add_months(last, -months)
    if last.day == monthrange(last.year, last.month)[1]:
        return back.replace(day=monthrange(back.year, back.month)[1])
    return back


@dataclass(frozen=True)
class ClassWindow:
    """Records of ``penalty_class`` whose period started after ``started_after``
    and on or before ``started_through`` are screened; ``marked`` ones are
    removed at review."""

    penalty_class: str
    group: str
    minimum_months: int
    maximum_months: int
    started_after: date
    started_through: date
    marked: bool

    def includes(self, start: date) -> bool:
        return self.started_after < start <= self.started_through


@dataclass(frozen=True)
class ScreeningCriteria:
    """What a batch screens as of one day, under one regime."""

    as_of: date
    regime: str
    regime_version: str
    windows: tuple[ClassWindow, ...]

    def window(self, penalty_class: str) -> ClassWindow | None:
        for window in self.windows:
            if window.penalty_class == penalty_class:
                return window
        return None

    def tally(self, per_class: dict[str, int]) -> dict[str, int]:
        """Items found per class as the batch counts them: in total, per group
        (general, severe) and marked for removal."""
        counts = {"item": 0, "general": 0, "severe": 0, "marked": 0}
        for penalty_class, found in per_class.items():
            window = self.window(penalty_class)
            counts["item"] += found
            counts[window.group] += found
            counts["marked"] += found if window.marked else 0
        return counts

    def as_dict(self) -> dict:
        """JSON-ready, as stored with the batch and in its first audit row."""
        return {
            "as_of": self.as_of.isoformat(),
            "regime": self.regime,
            "regime_version": self.regime_version,
            "windows": [
                {
                    **asdict(w),
                    "started_after": w.started_after.isoformat(),
                    "started_through": w.started_through.isoformat(),
                }
                for w in self.windows
            ],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ScreeningCriteria":
        windows = tuple(
            ClassWindow(
                **{
                    **w,
                    "started_after": date.fromisoformat(w["started_after"]),
                    "started_through": date.fromisoformat(w["started_through"]),
                }
            )
            for w in data["windows"]
        )
        return cls(
            as_of=date.fromisoformat(data["as_of"]),
            regime=data["regime"],
            regime_version=data["regime_version"],
            windows=windows,
        )


def screening_criteria(regime: Regime, as_of: date) -> ScreeningCriteria:
    """The window of every screened class: past the minimum of the class it is
    screened as, not past its own maximum."""
    windows = []
    for penalty_class, group in SCREENED_AS.items():
        minimum = regime.minimum_months(group)
        maximum = regime.maximum_months(penalty_class)
        windows.append(
            ClassWindow(
                penalty_class=str(penalty_class),
                group=str(group),
                minimum_months=minimum,
                maximum_months=maximum,
                started_after=latest_start(as_of, maximum),
                started_through=latest_start(as_of, minimum),
                marked=penalty_class is PenaltyClass.SPECIFIC_SEVERE,
            )
        )
    return ScreeningCriteria(as_of, regime.name, regime.version, tuple(windows))
