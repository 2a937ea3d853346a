"""Policy regimes: the disclosure periods, required documents and step deadlines of
one set of credit-repair rules, read from the TOML files shipped in
``credit_repair/regimes/``. A case pins the regime name and version it used.
"""

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any


class PenaltyClass(StrEnum):
    """How serious a penalty is, which decides whether and how long it is published."""

    MINOR = "minor"  # 轻微: simplified procedure (简易程序)
    GENERAL = "general"  # 一般失信
    SEVERE = "severe"  # 严重失信
    SPECIFIC_SEVERE = "specific_severe"  # 特定严重失信: never repaired early


class Procedure(StrEnum):
    """The three ways a record can be repaired."""

    COMMITMENT = "commitment"  # 先修复后证明
    BATCH = "batch"  # 批量主动修复
    INSTANT = "instant"  # 0工作日 national repair


class DocumentKind(StrEnum):
    """Documents a company may have to send."""

    COMMITMENT_LETTER = "commitment_letter"  # 信用修复承诺书
    TRAINING_CERTIFICATE = "training_certificate"  # 信用修复培训证明
    CREDIT_REPORT = "credit_report"  # 信用修复报告


class UnknownRegimeError(LookupError):
    """Raised when a regime is asked for by a name no shipped file has."""

    def __init__(self, name: str, available: list[str]) -> None:
        self.name = name
        self.available = available
        super().__init__(
            f"unknown regime {name!r}; available: {', '.join(available) or 'none'}"
        )


class RegimeFileError(ValueError):
    """Raised when a shipped regime file is missing a value or contradicts itself."""


@dataclass(frozen=True)
class PeriodBounds:
    """Minimum and maximum disclosure of one class, in months after the decision."""

    minimum_months: int
    maximum_months: int


@dataclass(frozen=True)
class Regime:
    """One set of repair rules; step deadlines are working days unless named days."""

    name: str
    version: str
    title: str
    in_force: date
    periods: Mapping[PenaltyClass, PeriodBounds]
    severe_needs_training: bool
    training_proof_days: int
    request_confirmation_working_days: int
    confirmation_working_days: int
    reminder_working_days: int
    batch_confirmation_working_days: int
    batch_review_working_days: int
    batch_notice_working_days: int
    documents: Mapping[Procedure, Mapping[PenaltyClass, tuple[DocumentKind, ...]]]
    follow_up: Mapping[PenaltyClass, tuple[DocumentKind, ...]]
    digest: str = ""

    def minimum_months(self, penalty_class: str) -> int:
        return self.periods[PenaltyClass(penalty_class)].minimum_months

    def maximum_months(self, penalty_class: str) -> int:
        return self.periods[PenaltyClass(penalty_class)].maximum_months

    def required_documents(
        self, procedure: str, penalty_class: str
    ) -> tuple[DocumentKind, ...]:
        """Documents the procedure needs before deciding in the company's favour."""
        return self.documents[Procedure(procedure)][PenaltyClass(penalty_class)]

    def follow_up_documents(self, penalty_class: str) -> tuple[DocumentKind, ...]:
        """Documents a commitment repair accepts after the takedown, within
        ``training_proof_days`` of the commitment."""
        return self.follow_up.get(PenaltyClass(penalty_class), ())


def available_regimes() -> list[str]:
    """Names of the shipped regimes, sorted."""
    folder = resources.files("credit_repair") / "regimes"
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


@cache
def load_regime(name: str) -> Regime:
    """The shipped regime called ``name`` (e.g. ``kunming-2020``)."""
    available = available_regimes()
    if name not in available:
        raise UnknownRegimeError(name, available)
    path = resources.files("credit_repair") / "regimes" / f"{name}.toml"
    return parse_regime(path.read_text(encoding="utf-8"), name)


def parse_regime(text: str, name: str) -> Regime:
    """The regime described by the TOML ``text``, which must call itself ``name``."""
    try:
        return _regime(name, tomllib.loads(text), text.encode())
    except RegimeFileError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise RegimeFileError(f"regime {name}: missing or bad value {exc!r}") from exc


def _regime(name: str, data: dict[str, Any], raw: bytes) -> Regime:
    if data["name"] != name:
        raise RegimeFileError(f"regime file {name}.toml names itself {data['name']!r}")
    periods = {
        PenaltyClass(key): PeriodBounds(
            _count(value["minimum"], f"{key} minimum"),
            _count(value["maximum"], f"{key} maximum"),
        )
        for key, value in data["periods"].items()
    }
    _check_periods(name, periods)
    steps = data["deadlines"]
    regime = Regime(
        name=name,
        version=str(data["version"]),
        title=data["title"],
        in_force=data["in_force"],
        periods=MappingProxyType(periods),
        severe_needs_training=bool(data["severe_needs_training"]),
        documents=MappingProxyType(
            {
                Procedure(procedure): _by_class(name, table, procedure)
                for procedure, table in data["documents"].items()
            }
        ),
        follow_up=_by_class(name, data.get("follow_up_documents", {}), None),
        digest=hashlib.sha256(raw).hexdigest()[:8],
        **{field: _count(steps[field], field) for field in _STEP_FIELDS},
    )
    _check_documents(regime)
    return regime


_STEP_FIELDS = (
    "training_proof_days",
    "request_confirmation_working_days",
    "confirmation_working_days",
    "reminder_working_days",
    "batch_confirmation_working_days",
    "batch_review_working_days",
    "batch_notice_working_days",
)


def _by_class(
    name: str, table: dict[str, list[str]], procedure: str | None
) -> Mapping[PenaltyClass, tuple[DocumentKind, ...]]:
    by_class = {
        PenaltyClass(key): tuple(DocumentKind(kind) for kind in kinds)
        for key, kinds in table.items()
    }
    if procedure is not None and set(by_class) != set(PenaltyClass):
        missing = sorted(set(PenaltyClass) - set(by_class))
        raise RegimeFileError(
            f"regime {name}: documents.{procedure} lacks {', '.join(missing)}"
        )
    return MappingProxyType(by_class)


def _check_periods(name: str, periods: dict[PenaltyClass, PeriodBounds]) -> None:
    missing = sorted(set(PenaltyClass) - set(periods))
    if missing:
        raise RegimeFileError(f"regime {name}: no periods for {', '.join(missing)}")
    for penalty_class, bounds in periods.items():
        if bounds.minimum_months > bounds.maximum_months:
            raise RegimeFileError(f"regime {name}: {penalty_class} minimum > maximum")
    specific = periods[PenaltyClass.SPECIFIC_SEVERE]
    severe_max = periods[PenaltyClass.SEVERE].maximum_months
    if specific != PeriodBounds(severe_max, severe_max):
        raise RegimeFileError(
            f"regime {name}: specific_severe must be published for exactly the "
            f"severe maximum ({severe_max} months)"
        )


def _check_documents(regime: Regime) -> None:
    if set(regime.documents) != set(Procedure):
        raise RegimeFileError(
            f"regime {regime.name}: documents must list every procedure"
        )
    training = {DocumentKind.TRAINING_CERTIFICATE, DocumentKind.CREDIT_REPORT}
    follow_up = set(regime.follow_up_documents(PenaltyClass.SEVERE))
    if regime.severe_needs_training != (training <= follow_up):
        raise RegimeFileError(
            f"regime {regime.name}: severe_needs_training disagrees with "
            "follow_up_documents.severe"
        )


def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RegimeFileError(f"{what} must be a whole number >= 0, not {value!r}")
    return value
