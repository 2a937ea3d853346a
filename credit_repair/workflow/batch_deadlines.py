"""What happens when a batch deadline passes (fired by the scheduler): the
confirmation phase closes, a late review escalates, and the end of the public
notice completes the batch."""

from datetime import datetime

from credit_repair.workflow import notices
from credit_repair.workflow.batch_confirmation import close_confirmation
from credit_repair.workflow.batch_model import BatchData
from credit_repair.workflow.batch_steps import move_items, record_batch
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.model import SCHEDULER, DeadlineData
from credit_repair.workflow.ports import UnitOfWork
from credit_repair.workflow.transitions import decide

MACHINE = "batch"
TAKEDOWN_REASON = "quarterly batch repair"
COMMITMENT_LETTER_REQUEST = (
    "贵单位的行政处罚信息已通过批量主动修复下线，请于收到本通知后提交信用修复承诺书。"
)


def fire(wf: Workflow, uow: UnitOfWork, deadline: DeadlineData, now: datetime) -> str:
    """Act on a claimed batch deadline; returns the event sent to the batch.

    A provisional confirmation deadline (no official calendar for its year)
    escalates to the office instead of excluding anything.
    """
    batch = uow.batches.get(deadline.subject_id, lock=True)
    facts = {"deadline": _fired(deadline)}
    if deadline.kind == "confirmation" and not deadline.provisional:
        close_confirmation(wf, uow, batch, SCHEDULER, now, facts)
        return "close_confirmation"
    if deadline.kind == "notice":
        complete(uow, batch, now, facts)
        return "complete"
    target = decide(batch, "escalate", {})
    batch.escalated_at = now
    record_batch(uow, batch, "escalate", target, SCHEDULER, now, facts)
    name = notices.deadline_name(deadline.kind)
    uow.outbox.notify(
        "office",
        "escalation",
        f"批量信用修复批次{batch.id}：期限“{name}”已过，请尽快处理。",
        batch.stream,
        now,
        {"deadline_id": deadline.id, "kind": deadline.kind},
    )
    return "escalate"


def complete(uow: UnitOfWork, batch: BatchData, now: datetime, facts: dict) -> int:
    """The notice is over: every remaining item is repaired, its record taken
    offline through the publication feed, and each company asked for a
    commitment letter. Returns how many items were repaired."""
    target = decide(batch, "complete", {})
    repaired = move_items(uow, batch, "confirmed", "repair", SCHEDULER, now)
    offline = uow.batches.take_down_repaired(batch.id, TAKEDOWN_REASON, now)
    told = uow.batches.notify_repaired_companies(
        batch.id, "commitment_letter_requested", COMMITMENT_LETTER_REQUEST, now
    )
    uow.deadlines.settle(MACHINE, batch.id, None, "met", now)
    uow.outbox.notify(
        "office",
        "batch_completed",
        f"批量信用修复批次{batch.id}已完成：{repaired}条信息已修复下线。",
        batch.stream,
        now,
        {"batch_id": batch.id, "repaired": repaired},
    )
    payload = {**facts, "repaired": repaired, "taken_down": offline, "notified": told}
    record_batch(uow, batch, "complete", target, SCHEDULER, now, payload)
    return repaired


def _fired(deadline: DeadlineData) -> dict:
    """What the batch's log keeps about the deadline that moved it."""
    return {
        "id": deadline.id,
        "kind": deadline.kind,
        "due_at": deadline.due_at.isoformat(),
        "provisional": deadline.provisional,
        "calendar_version": deadline.calendar_version,
    }
