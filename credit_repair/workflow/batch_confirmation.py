"""Departments confirm their batch items in bulk (部门确认), and the confirmation
phase closes: unanswered items are excluded, marked specific-severe items are
removed, and the office has its working days to review."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from credit_repair.workflow.batch_model import BatchData, ExclusionReason, ItemData
from credit_repair.workflow.batch_steps import move_items, record_batch, require_role
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import working_days_after
from credit_repair.workflow.errors import Forbidden, InvalidInput
from credit_repair.workflow.model import Actor
from credit_repair.workflow.ports import UnitOfWork
from credit_repair.workflow.publication import deadline_facts, schedule
from credit_repair.workflow.transitions import check_version, decide

MACHINE = "batch"
YES = {"true", "yes", "y", "1", "是", "已履行"}
NO = {"false", "no", "n", "0", "否", "未履行"}


@dataclass(frozen=True)
class ItemAnswer:
    """A department's answer for one item: was the penalty carried out in full."""

    item_id: int
    fulfilled: bool


@dataclass(frozen=True)
class AnswerReceipt:
    """What one upload of answers changed."""

    batch_id: int
    department: str
    confirmed: int
    not_carried_out: int
    unchanged: int
    late: bool


def parse_answers(rows: Iterable[Mapping]) -> list[ItemAnswer]:
    """Answers from rows shaped like the item export: ``item_id`` and
    ``fulfilled`` (true/false, 是/否, yes/no); a blank answer is no answer.
    Problems name a sheet's row by its number in the sheet (``sheet_row``, as
    Excel shows it: the header is row 1), and an entry of a list by its index
    and field, as the API names the fields of a body (``3.fulfilled``)."""
    answers: dict[int, ItemAnswer] = {}
    problems: dict[str, str] = {}
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            problems[str(index)] = "not an object with item_id and fulfilled"
            continue
        where = _where(row, index)
        item_id, fulfilled = row.get("item_id"), _yes_no(row.get("fulfilled"))
        if isinstance(item_id, str) and item_id.strip().isdigit():
            item_id = int(item_id)
        if not isinstance(item_id, int) or isinstance(item_id, bool):
            problems[where("item_id")] = f"item_id {item_id!r} is not a number"
        elif fulfilled == "invalid":
            problems[where("fulfilled")] = (
                f"fulfilled {row.get('fulfilled')!r} is not yes or no (是/否)"
            )
        elif fulfilled is not None:
            earlier = answers.setdefault(item_id, ItemAnswer(item_id, fulfilled))
            if earlier.fulfilled != fulfilled:
                problems[where("fulfilled")] = f"item {item_id} is answered both ways"
    if problems:
        raise InvalidInput(problems)
    if not answers:
        raise InvalidInput({"answers": "no item is answered yes or no"})
    return list(answers.values())


def _where(row: Mapping, index: int):
    """How problems name ``row``: ``row 6`` in a sheet, ``3.item_id`` in a list."""
    sheet_row = row.get("sheet_row")
    if isinstance(sheet_row, int) and not isinstance(sheet_row, bool):
        return lambda _field: f"row {sheet_row}"
    return lambda field: f"{index}.{field}"


def _yes_no(value) -> bool | str | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if not text:
        return None
    return True if text in YES else False if text in NO else "invalid"


def confirm_items(
    wf: Workflow,
    batch_id: int,
    department: str,
    answers: Iterable[ItemAnswer | Mapping],
    actor: Actor,
    expected_version: int | None = None,
) -> AnswerReceipt:
    """Store a department's answers for its own items, all or nothing. Repeating
    an answer changes nothing; changing one is refused. Answers that arrive after
    the deadline but before it closed the phase count, and are marked late."""
    _require_department(actor, department)
    parsed = parse_answers(
        a.__dict__ if isinstance(a, ItemAnswer) else a for a in answers
    )
    now = wf.clock.now()
    with wf.unit_of_work() as uow:
        batch = uow.batches.get(batch_id, lock=True)
        check_version(batch, expected_version)
        decide(batch, "receive_answers", {})
        items = _own_items(uow, batch, department, parsed, actor)
        due = _confirmation_due(uow, batch)
        late = due is not None and now >= due
        fresh = [a for a in parsed if items[a.item_id].state == "candidate"]
        department_id = next(iter(items.values())).department_id
        moved = {
            flag: _answer(uow, batch, actor, now, flag, fresh, department_id)
            for flag in (True, False)
        }
        receipt = AnswerReceipt(
            batch.id,
            department,
            moved[True],
            moved[False],
            len(parsed) - len(fresh),
            late,
        )
        payload = {k: v for k, v in receipt.__dict__.items() if k != "batch_id"}
        record_batch(uow, batch, "receive_answers", batch.state, actor, now, payload)
        uow.commit()
    return receipt


def _answer(uow, batch, actor, now, fulfilled: bool, answers, department_id) -> int:
    ids = [a.item_id for a in answers if a.fulfilled is fulfilled]
    return move_items(
        uow,
        batch,
        "candidate",
        "answer",
        actor,
        now,
        guards={"fulfilled": fulfilled},
        reason=None if fulfilled else ExclusionReason.NOT_CARRIED_OUT,
        columns={
            "fulfilled": fulfilled,
            "answered_at": now,
            "answered_by": actor.label,
        },
        item_ids=ids,
        department_id=department_id,
    )


def _own_items(uow, batch, department, answers, actor) -> dict[int, ItemData]:
    """The answered items; every one must be in the batch, belong to
    ``department`` and not have been answered differently before."""
    items = {i.id: i for i in uow.batches.items(batch.id, [a.item_id for a in answers])}
    unknown = sorted({a.item_id for a in answers} - set(items))
    if unknown:
        raise InvalidInput({"item_id": f"not items of {batch.label}: {_ids(unknown)}"})
    foreign = sorted(i.id for i in items.values() if i.department_code != department)
    if foreign:
        raise Forbidden(
            actor.label,
            f"items {_ids(foreign)} belong to other departments than {department}",
        )
    changed = sorted(
        a.item_id
        for a in answers
        if items[a.item_id].state != "candidate"
        and items[a.item_id].fulfilled is not a.fulfilled
    )
    if changed:
        raise InvalidInput(
            {"fulfilled": f"items {_ids(changed)} were answered otherwise or closed"}
        )
    return items


def _ids(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:20])
    return shown + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")


def _require_department(actor: Actor, department: str) -> None:
    require_role(actor, "department", "office")
    if actor.role == "department" and actor.department != department:
        raise Forbidden(
            actor.label, f"may answer only for department {actor.department}"
        )


def _confirmation_due(uow: UnitOfWork, batch: BatchData) -> datetime | None:
    rows = uow.deadlines.for_subject(MACHINE, batch.id)
    return next((d.due_at for d in rows if d.kind == "confirmation"), None)


def close_confirmation(
    wf: Workflow,
    uow: UnitOfWork,
    batch: BatchData,
    actor: Actor,
    now: datetime,
    facts: dict,
    closed_at: datetime | None = None,
) -> dict:
    """End the phase: unanswered items are excluded as not confirmed in time,
    marked specific-severe items removed; the office's review clock starts.

    The review is counted from ``closed_at``: the last instant of the deadline
    that closed the phase (so a late or delayed scheduler shortens nothing), or
    ``now`` when the office closes it itself."""
    target = decide(batch, "close_confirmation", {})
    expired = move_items(
        uow,
        batch,
        "candidate",
        "expire",
        actor,
        now,
        reason=ExclusionReason.NOT_CONFIRMED_IN_TIME,
    )
    removed = move_items(
        uow,
        batch,
        "confirmed",
        "exclude",
        actor,
        now,
        reason=ExclusionReason.SPECIFIC_SEVERE,
        marked_only=True,
    )
    regime = wf.regime_for(batch.regime)
    start = closed_at or now
    due = working_days_after(wf.calendar, start, regime.batch_review_working_days)
    schedule(uow, MACHINE, batch.id, "review", due, now)
    uow.outbox.notify(
        "office",
        "batch_review_requested",
        f"批量信用修复批次{batch.id}：部门确认已截止，"
        f"请于{due.last_day} 24:00前完成复核。",
        batch.stream,
        now,
        {"batch_id": batch.id, "not_confirmed": expired, "removed": removed},
    )
    payload = {
        **facts,
        "not_confirmed_in_time": expired,
        "specific_severe_removed": removed,
        "deadlines": {"review": deadline_facts(due)},
    }
    record_batch(uow, batch, "close_confirmation", target, actor, now, payload)
    return payload


def close_confirmation_after_deadline(
    wf: Workflow, batch_id: int, actor: Actor, expected_version: int | None = None
) -> BatchData:
    """The office closes the phase itself once its deadline has passed: the way
    on after a provisional deadline, which only escalates."""
    require_role(actor, "office")
    now = wf.clock.now()
    with wf.unit_of_work() as uow:
        batch = uow.batches.get(batch_id, lock=True)
        check_version(batch, expected_version)
        due = _confirmation_due(uow, batch)
        if due is not None and now < due:
            raise InvalidInput(
                {"confirmation": f"departments may answer until {due.isoformat()}"}
            )
        close_confirmation(wf, uow, batch, actor, now, {})
        uow.deadlines.settle(MACHINE, batch.id, ["confirmation"], "met", now)
        uow.commit()
    return batch
