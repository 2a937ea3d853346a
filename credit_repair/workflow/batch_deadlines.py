"""What happens when a batch deadline passes (fired by the scheduler): the
confirmation phase closes, a late review escalates, and the end of the public
notice completes the batch. A provisional confirmation or notice deadline (no
official calendar for its year) only escalates and stays open until the year's
table is loaded, or the office closes the phase itself."""

from datetime import datetime

from credit_repair.workflow import notices
from credit_repair.workflow.batch_confirmation import close_confirmation
from credit_repair.workflow.batch_model import BatchData
from credit_repair.workflow.batch_steps import move_items, record_batch
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import closing_instant
from credit_repair.workflow.model import SCHEDULER, Actor, DeadlineData
from credit_repair.workflow.ports import UnitOfWork
from credit_repair.workflow.transitions import decide

MACHINE = "batch"
#: Deadlines that end a phase; provisional ones wait for the official calendar.
CLOSING_KINDS = ("confirmation", "notice")
TAKEDOWN_REASON = "quarterly batch repair"
COMMITMENT_LETTER_REQUEST = (
    "贵单位的行政处罚信息已通过批量主动修复下线，请于收到本通知后提交信用修复承诺书。"
)


def fire(wf: Workflow, uow: UnitOfWork, deadline: DeadlineData, now: datetime) -> str:
    """Act on a claimed batch deadline; returns the event sent to the batch.

    A provisional confirmation or notice deadline escalates to the office instead
    of excluding items or ending the public notice early.
    """
    batch = uow.batches.get(deadline.subject_id, lock=True)
    facts = {"deadline": _fired(deadline)}
    if deadline.kind == "confirmation" and not deadline.provisional:
        closed_at = closing_instant(deadline.due_at)
        close_confirmation(wf, uow, batch, SCHEDULER, now, facts, closed_at)
        return "close_confirmation"
    if deadline.kind == "notice" and not deadline.provisional:
        complete(uow, batch, now, facts)
        return "complete"
    target = decide(batch, "escalate", {})
    held = deadline.kind in CLOSING_KINDS
    if held:
        uow.deadlines.keep_open(deadline.id)
    batch.escalated_at = now
    record_batch(uow, batch, "escalate", target, SCHEDULER, now, facts)
    name = notices.deadline_name(deadline.kind)
    text = f"批量信用修复批次{batch.id}：期限“{name}”已过，请尽快处理。"
    if held:
        text = (
            f"批量信用修复批次{batch.id}：临时期限“{name}”已到（当年法定节假日安排"
            "尚未发布），该阶段暂不结束；加载当年官方节假日安排后将重新计算，"
            "信用办也可在期限届满后自行结束该阶段。"
        )
    uow.outbox.notify(
        "office",
        "escalation",
        text,
        batch.stream,
        now,
        {"deadline_id": deadline.id, "kind": deadline.kind},
    )
    return "escalate"


def complete(
    uow: UnitOfWork,
    batch: BatchData,
    now: datetime,
    facts: dict,
    actor: Actor = SCHEDULER,
) -> int:
    """The notice is over: every remaining item is repaired, its record taken
    offline through the publication feed, and each company asked for a
    commitment letter. Returns how many items were repaired."""
    target = decide(batch, "complete", {})
    repaired = move_items(uow, batch, "confirmed", "repair", actor, now)
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
    record_batch(uow, batch, "complete", target, actor, now, payload)
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
