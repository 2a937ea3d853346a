"""What every use case runs with: storage, clock, calendar and policy regimes."""

from collections.abc import Callable
from dataclasses import dataclass, field

from credit_repair.workflow.calendar import WorkingCalendar
from credit_repair.workflow.ports import Clock, UnitOfWork
from credit_repair.workflow.regimes import Regime, load_regime


@dataclass
class Workflow:
    """The injected parts; built once per process by the bootstrap, or by a test."""

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    calendar: WorkingCalendar
    regime: Regime
    instant_answer_working_days: int = 5
    _regimes: dict[str, Regime] = field(default_factory=dict, repr=False)

    def regime_for(self, name: str) -> Regime:
        """The regime a case was pinned to at submission."""
        if name == self.regime.name:
            return self.regime
        if name not in self._regimes:
            self._regimes[name] = load_regime(name)
        return self._regimes[name]
