"""The office's review of a batch (信用办复核), the public notice (公示) and
objections to it: each removal is an item exclusion with its reason."""

from collections.abc import Mapping

from credit_repair.workflow.batch_deadlines import complete
from credit_repair.workflow.batch_model import BatchData, ExclusionReason
from credit_repair.workflow.batch_steps import (
    decide_items,
    move_items,
    record_batch,
    require_role,
)
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import working_days_after
from credit_repair.workflow.errors import InvalidInput, NotFound
from credit_repair.workflow.model import Actor
from credit_repair.workflow.publication import deadline_facts, schedule
from credit_repair.workflow.transitions import check_version, decide

MACHINE = "batch"
OBJECTION_TAKERS = ("office", "intake")


def exclude_items(
    wf: Workflow,
    batch_id: int,
    exclusions: Mapping[int, str],
    actor: Actor,
    expected_version: int | None = None,
) -> BatchData:
    """Exclude confirmed items at review (office), each with a reason in words."""
    require_role(actor, "office")
    reasons = _reasons(exclusions)
    now = wf.clock.now()
    with wf.unit_of_work() as uow:
        batch = uow.batches.get(batch_id, lock=True)
        check_version(batch, expected_version)
        decide(batch, "exclude", {})
        items = {i.id: i for i in uow.batches.items(batch.id, list(reasons))}
        missing = sorted(set(reasons) - set(items))
        if missing:
            raise NotFound(f"items of {batch.label}", missing)
        for item in items.values():
            decide_items(item.state, "exclude", {}, f"item {item.id}")
            if item.state != "confirmed":
                raise InvalidInput({str(item.id): "only a confirmed item is reviewed"})
        for text in sorted(set(reasons.values())):
            move_items(
                uow,
                batch,
                "confirmed",
                "exclude",
                actor,
                now,
                reason=ExclusionReason.EXCLUDED_AT_REVIEW,
                reason_text=text,
                item_ids=[k for k, v in reasons.items() if v == text],
            )
        payload = {"items": {str(k): v for k, v in sorted(reasons.items())}}
        record_batch(uow, batch, "exclude", batch.state, actor, now, payload)
        uow.commit()
    return batch


def _reasons(exclusions: Mapping) -> dict[int, str]:
    """Item id → reason; every problem named at once."""
    reasons, problems = {}, {}
    for key, value in exclusions.items():
        text = str(value or "").strip()
        if not str(key).strip().isdigit():
            problems[str(key)] = "not an item id"
        elif not text:
            problems[str(key)] = "give the reason for excluding the item"
        else:
            reasons[int(key)] = text
    if not exclusions:
        problems["exclusions"] = "name at least one item and its reason"
    if problems:
        raise InvalidInput(problems)
    return reasons


def approve_review(
    wf: Workflow, batch_id: int, actor: Actor, expected_version: int | None = None
) -> BatchData:
    """End the review (office): the remaining items go on public notice for the
    regime's working days."""
    require_role(actor, "office")
    now = wf.clock.now()
    with wf.unit_of_work() as uow:
        batch = uow.batches.get(batch_id, lock=True)
        check_version(batch, expected_version)
        target = decide(batch, "approve", {})
        uow.deadlines.settle(MACHINE, batch.id, ["review"], "met", now)
        regime = wf.regime_for(batch.regime)
        due = working_days_after(wf.calendar, now, regime.batch_notice_working_days)
        schedule(uow, MACHINE, batch.id, "notice", due, now)
        announced = uow.batches.departments(batch.id, "confirmed")
        payload = {
            "announced": sum(announced.values()),
            "deadlines": {"notice": deadline_facts(due)},
        }
        record_batch(uow, batch, "approve", target, actor, now, payload)
        uow.commit()
    return batch


def complete_after_deadline(
    wf: Workflow, batch_id: int, actor: Actor, expected_version: int | None = None
) -> BatchData:
    """The office ends the public notice itself once its deadline has passed: the
    way on after a provisional deadline, which only escalates."""
    require_role(actor, "office")
    now = wf.clock.now()
    with wf.unit_of_work() as uow:
        batch = uow.batches.get(batch_id, lock=True)
        check_version(batch, expected_version)
        decide(batch, "complete", {})
        rows = uow.deadlines.for_subject(MACHINE, batch.id)
        due = max((d.due_at for d in rows if d.kind == "notice"), default=None)
        if due is not None and now < due:
            raise InvalidInput({"notice": f"the notice runs until {due.isoformat()}"})
        complete(uow, batch, now, {}, actor)
        uow.commit()
    return batch


def object_to_item(
    wf: Workflow,
    batch_id: int,
    item_id: int,
    objector: str,
    reason: str,
    actor: Actor,
    expected_version: int | None = None,
) -> BatchData:
    """Record an objection (异议) to an item on notice: who and why. The item
    leaves the batch and its record stays published."""
    require_role(actor, *OBJECTION_TAKERS)
    problems = {}
    if not objector.strip():
        problems["by"] = "say who objects"
    if not reason.strip():
        problems["reason"] = "say why"
    if problems:
        raise InvalidInput(problems)
    now = wf.clock.now()
    with wf.unit_of_work() as uow:
        batch = uow.batches.get(batch_id, lock=True)
        check_version(batch, expected_version)
        decide(batch, "receive_objection", {})
        [item] = uow.batches.items(batch.id, [item_id]) or [None]
        if item is None:
            raise NotFound(f"item of {batch.label}", item_id)
        objection = {"by": objector.strip(), "reason": reason.strip()}
        decide_items(item.state, "exclude", {}, f"item {item.id}")
        move_items(
            uow,
            batch,
            item.state,
            "exclude",
            actor,
            now,
            reason=ExclusionReason.OBJECTED,
            reason_text=objection["reason"],
            columns={"objected_by": objection["by"]},
            payload={"objection": objection},
            item_ids=[item.id],
        )
        payload = {"item_id": item.id, "objection": objection}
        record_batch(uow, batch, "receive_objection", batch.state, actor, now, payload)
        uow.commit()
    return batch
