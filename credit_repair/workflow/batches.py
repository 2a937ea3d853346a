"""Quarterly batch repair (批量主动修复) use cases: starting a batch, screening the
published records into it chunk by chunk, opening the departments' confirmation,
and cancelling. Shared by the API, the command line and the scheduler."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from credit_repair.workflow.batch_model import (
    BatchData,
    ExclusionReason,
    Origin,
    screened_fact,
)
from credit_repair.workflow.batch_steps import move_items, record_batch, require_role
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import BUSINESS_TZ, working_days_after
from credit_repair.workflow.errors import InvalidInput
from credit_repair.workflow.model import SCHEDULER, Actor
from credit_repair.workflow.publication import deadline_facts, schedule
from credit_repair.workflow.screening import ScreeningCriteria, screening_criteria
from credit_repair.workflow.transitions import (
    check_version,
    decide,
    record_creation,
)

MACHINE = "batch"
SCREEN_CHUNK = 100_000  # record ids per screening transaction
STARTERS = ("office", SCHEDULER.role)


@dataclass(frozen=True)
class ScreeningProgress:
    """How far screening has got: records up to ``screened_through`` of
    ``records_through`` are done, ``items`` found so far in this run."""

    batch_id: int
    screened_through: int
    records_through: int
    items: int


Progress = Callable[[ScreeningProgress], None]


def start_batch(
    wf: Workflow,
    actor: Actor,
    as_of: date | None = None,
    quarter: str | None = None,
    progress: Progress | None = None,
    chunk: int = SCREEN_CHUNK,
) -> BatchData:
    """Create a batch as of ``as_of`` (default: today in business time), screen
    every record into it and ask the departments to confirm their items.

    ``quarter`` (e.g. ``2026Q2``) marks the scheduler's one batch of a quarter;
    a second one for the same quarter raises ``Conflict``.
    """
    batch = create_batch(wf, actor, as_of, quarter)
    return continue_screening(wf, batch.id, actor, progress, chunk)


def create_batch(
    wf: Workflow, actor: Actor, as_of: date | None = None, quarter: str | None = None
) -> BatchData:
    """Only create the batch, in ``screening``, with the records it will screen;
    :func:`continue_screening` (or the scheduler's next run) does the rest."""
    require_role(actor, *STARTERS)
    now = wf.clock.now()
    today = now.astimezone(BUSINESS_TZ).date()
    as_of = as_of or today
    if as_of > today:
        raise InvalidInput({"as_of": f"{as_of} is after today ({today})"})
    criteria = screening_criteria(wf.regime, as_of)
    with wf.unit_of_work() as uow:
        first, last = uow.batches.record_id_range() or (1, 0)
        batch = BatchData(
            state="screening",
            origin=Origin.SCHEDULE if quarter else Origin.STAFF,
            as_of=as_of,
            regime=wf.regime.name,
            regime_version=wf.regime.version,
            started_by=actor.label,
            criteria={
                **criteria.as_dict(),
                "records_from": first,
                "records_through": last,
            },
            created_at=now,
            updated_at=now,
            quarter=quarter,
        )
        batch.id = uow.batches.add(batch)
        batch.version = 1
        facts = {"origin": str(batch.origin), "quarter": quarter}
        record_creation(
            uow, batch, actor, facts | {"criteria": batch.criteria}, event="start"
        )
        uow.commit()
    return batch


def continue_screening(
    wf: Workflow,
    batch_id: int,
    actor: Actor = SCHEDULER,
    progress: Progress | None = None,
    chunk: int = SCREEN_CHUNK,
) -> BatchData:
    """Screen the records a batch has not screened yet, one committed chunk of
    record ids at a time, then open the confirmation. Resumes where a stopped
    run left off; stops early when someone cancels the batch."""
    with wf.unit_of_work() as uow:
        batch = uow.batches.get(batch_id)
    decide(batch, "open_confirmation", {})
    last = int(batch.criteria["records_through"])
    criteria = ScreeningCriteria.from_dict(batch.criteria)
    first = max(batch.screened_through + 1, int(batch.criteria["records_from"]))
    found = 0
    while first <= last:
        upto = min(first + chunk - 1, last)
        with wf.unit_of_work() as uow:
            batch = uow.batches.get(batch_id, lock=True)
            if batch.state != "screening" or batch.screened_through >= first:
                return batch
            now = wf.clock.now()
            fact = partial(screened_fact, batch, actor, now)
            counts = criteria.tally(uow.batches.screen(batch, first, upto, now, fact))
            uow.batches.record_screening(batch_id, upto, counts)
            found += counts["item"]
            uow.commit()
        if progress is not None:
            progress(ScreeningProgress(batch_id, upto, last, found))
        first = upto + 1
    return _open_confirmation(wf, batch_id, actor)


def _open_confirmation(wf: Workflow, batch_id: int, actor: Actor) -> BatchData:
    """Every department with items has the regime's working days to answer."""
    now = wf.clock.now()
    with wf.unit_of_work() as uow:
        batch = uow.batches.get(batch_id, lock=True)
        target = decide(batch, "open_confirmation", {})
        regime = wf.regime_for(batch.regime)
        due = working_days_after(
            wf.calendar, now, regime.batch_confirmation_working_days
        )
        schedule(uow, MACHINE, batch.id, "confirmation", due, now)
        departments = uow.batches.departments(batch.id, "candidate")
        for code, items in departments.items():
            uow.outbox.notify(
                f"department:{code}",
                "batch_confirmation_requested",
                f"批量信用修复批次{batch.id}：请于{due.last_day} 24:00前确认"
                f"{items}条行政处罚信息是否已全部履行。",
                batch.stream,
                now,
                {"batch_id": batch.id, "items": items},
            )
        payload = {
            "items": batch.item_count,
            "general": batch.general_count,
            "severe": batch.severe_count,
            "marked": batch.marked_count,
            "departments": len(departments),
            "deadlines": {"confirmation": deadline_facts(due)},
        }
        record_batch(uow, batch, "open_confirmation", target, actor, now, payload)
        uow.commit()
    return batch


def cancel_batch(
    wf: Workflow,
    batch_id: int,
    actor: Actor,
    reason: str = "",
    expected_version: int | None = None,
) -> BatchData:
    """Stop a batch (office): every open item is excluded, no record changes."""
    require_role(actor, "office")
    now = wf.clock.now()
    with wf.unit_of_work() as uow:
        batch = uow.batches.get(batch_id, lock=True)
        check_version(batch, expected_version)
        target = decide(batch, "cancel", {})
        text = reason.strip() or None
        excluded = {
            source: move_items(
                uow,
                batch,
                source,
                "exclude",
                actor,
                now,
                reason=ExclusionReason.BATCH_CANCELLED,
                reason_text=text,
            )
            for source in ("candidate", "confirmed")
        }
        uow.deadlines.settle(MACHINE, batch.id, None, "cancelled", now)
        payload = {"reason": text, "excluded": excluded}
        record_batch(uow, batch, "cancel", target, actor, now, payload)
        uow.commit()
    return batch
