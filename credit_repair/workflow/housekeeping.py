"""Daily housekeeping of the published records (长效机制): every record past its
maximum disclosure period leaves the portal, audited in the record's own stream
(``record:ID``) and announced in the publication-change feed as ``expired``; records
published twice are reported to the office once. An import expires the records it
stores in the same way, in the transaction that stores them.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

from credit_repair.workflow import notices
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import BUSINESS_TZ
from credit_repair.workflow.duplicates import (
    REASONS_ZH,
    DuplicateGroup,
    duplicate_groups,
)
from credit_repair.workflow.eligibility import (
    RecordFacts,
    disclosure_window,
    period_start,
)
from credit_repair.workflow.errors import InvalidInput
from credit_repair.workflow.model import SCHEDULER, Actor, AuditFact, PublishedRecord
from credit_repair.workflow.periods import add_months, period_end
from credit_repair.workflow.ports import UnitOfWork
from credit_repair.workflow.regimes import Regime

RECORD_MACHINE = "record"
EXPIRY_REASON = "past maximum disclosure period"
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ExpiredRecord:
    """A record whose maximum period ended before the day housekeeping ran for."""

    penalty_id: int
    penalty_class: str
    period_start: date
    period_start_basis: str
    maximum_months: int
    maximum_end: date

    def as_dict(self) -> dict:
        return {
            "penalty_id": self.penalty_id,
            "penalty_class": self.penalty_class,
            "period_start": self.period_start.isoformat(),
            "period_start_basis": self.period_start_basis,
            "maximum_months": self.maximum_months,
            "maximum_end": self.maximum_end.isoformat(),
        }


@dataclass
class HousekeepingResult:
    """What one run did (or, dry, would do); the counts feed logs and metrics."""

    as_of: date
    dry_run: bool
    regime: str
    expired: list[ExpiredRecord] = field(default_factory=list)
    duplicates: list[DuplicateGroup] = field(default_factory=list)
    reported: int = 0
    changed_meanwhile: int = 0
    undated: int = 0

    @property
    def expired_count(self) -> int:
        return len(self.expired)

    @property
    def duplicate_count(self) -> int:
        return len(self.duplicates)

    def as_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "regime": self.regime,
            "expired": [e.as_dict() for e in self.expired],
            "duplicates": [d.as_dict() for d in self.duplicates],
            "reported": self.reported,
            "changed_meanwhile": self.changed_meanwhile,
            "undated": self.undated,
        }


def last_start_past_maximum(months: int, as_of: date) -> date:
    """The latest period start whose period of ``months`` ended before ``as_of``.

    Period ends grow with the start, so every earlier start is past it too:
    as of 2026-03-01, 12 months → 2025-02-28; 3 months → 2025-11-30.
    """
    start = add_months(as_of, -months)
    while period_end(start, months) >= as_of:
        start -= _DAY
    while period_end(start + _DAY, months) < as_of:
        start += _DAY
    return start


def last_starts(regime: Regime, as_of: date) -> dict[str, date]:
    """Per class, the latest period start of a record past its maximum."""
    return {
        str(penalty_class): last_start_past_maximum(bounds.maximum_months, as_of)
        for penalty_class, bounds in regime.periods.items()
    }


def run(
    wf: Workflow,
    as_of: date | None = None,
    dry_run: bool = False,
    actor: Actor = SCHEDULER,
    batch_size: int = 500,
) -> HousekeepingResult:
    """Take expired records offline and report duplicates, as of ``as_of`` (the
    business date today); a dry run writes nothing and may look ahead."""
    today = wf.clock.now().astimezone(BUSINESS_TZ).date()
    as_of = as_of or today
    if as_of > today and not dry_run:
        raise InvalidInput({"as_of": f"{as_of} is in the future; use a dry run"})
    result = HousekeepingResult(as_of, dry_run, wf.regime.name)
    cutoffs = last_starts(wf.regime, as_of)
    after_id = 0
    while True:
        with wf.unit_of_work() as uow:
            batch = uow.housekeeping.past_maximum(cutoffs, after_id, batch_size)
            for record in batch:
                _expire(wf, uow, record, result, actor)
            if not dry_run:
                uow.commit()
        if len(batch) < batch_size:
            break
        after_id = batch[-1].id
    with wf.unit_of_work() as uow:
        result.undated = uow.housekeeping.undated()
        _report_duplicates(wf, uow, result)
        if not dry_run:
            uow.commit()
    return result


def expire_stored(
    wf: Workflow,
    uow: UnitOfWork,
    identity_keys: Collection[str],
    as_of: date,
    actor: Actor,
    noted: dict | None = None,
) -> list[ExpiredRecord]:
    """Take offline, in the caller's transaction, the published records among
    ``identity_keys`` whose maximum period ended before ``as_of``: the daily run's
    expiry for records an import has just stored. ``noted`` joins each audit
    payload (e.g. the import run)."""
    result = HousekeepingResult(as_of, False, wf.regime.name)
    cutoffs = last_starts(wf.regime, as_of)
    limit = max(len(identity_keys), 1)
    for record in uow.housekeeping.past_maximum(cutoffs, 0, limit, identity_keys):
        _expire(wf, uow, record, result, actor, noted)
    return result.expired


def _expire(
    wf, uow: UnitOfWork, record: PublishedRecord, result, actor, noted=None
) -> None:
    facts = RecordFacts(record.penalty_class, record.decision_date, record.published_on)
    start, basis = period_start(facts)
    maximum_end = disclosure_window(facts, wf.regime)[1]
    if maximum_end >= result.as_of:
        return
    expired = ExpiredRecord(
        record.id,
        record.penalty_class,
        start,
        basis,
        wf.regime.maximum_months(record.penalty_class),
        maximum_end,
    )
    if result.dry_run:
        result.expired.append(expired)
        return
    now = wf.clock.now()
    if not uow.housekeeping.take_offline(record.id, record.version, now):
        result.changed_meanwhile += 1
        return
    stream = f"{RECORD_MACHINE}:{record.id}"
    uow.publication.append(record.id, "expired", False, EXPIRY_REASON, stream, now)
    uow.audit.append(
        AuditFact(
            stream=stream,
            machine=RECORD_MACHINE,
            event="expired",
            source=None,
            target=None,
            actor=actor.label,
            actor_role=actor.role,
            occurred_at=now,
            payload={
                **expired.as_dict(),
                "as_of": result.as_of.isoformat(),
                **(noted or {}),
            },
            regime=wf.regime.name,
            regime_version=wf.regime.version,
        )
    )
    notices.send(
        uow,
        "record_expired",
        f"company:{record.company_id}",
        stream,
        now,
        {"penalty_id": record.id},
        decision_number=record.decision_number or "无文号",
        maximum_end=maximum_end.isoformat(),
    )
    result.expired.append(expired)


def _report_duplicates(wf, uow: UnitOfWork, result: HousekeepingResult) -> None:
    result.duplicates = duplicate_groups(
        uow.housekeeping.same_decision_groups(),
        uow.housekeeping.same_party_date_groups(),
    )
    if result.dry_run:
        return
    known = uow.housekeeping.reported_duplicates()
    now = wf.clock.now()
    for group in result.duplicates:
        if group.key in known:
            continue
        notices.send(
            uow,
            "duplicate_publication",
            notices.OFFICE,
            None,
            now,
            group.as_dict(),
            penalty_ids="、".join(str(i) for i in group.penalty_ids),
            reasons="；".join(REASONS_ZH[r] for r in group.reasons),
        )
        result.reported += 1
