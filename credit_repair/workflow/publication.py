"""Taking records offline and publishing them again, always through the feed."""

from datetime import datetime

from credit_repair.workflow.model import DeadlineData
from credit_repair.workflow.ports import UnitOfWork


def take_down(uow: UnitOfWork, penalty_id: int, reason: str, stream: str, at: datetime):
    """Take the record offline and tell the portal."""
    uow.penalties.set_published(penalty_id, False, at)
    uow.publication.append(penalty_id, "taken_down", False, reason, stream, at)


def relist(uow: UnitOfWork, penalty_id: int, reason: str, stream: str, at: datetime):
    """Publish the record again and tell the portal."""
    uow.penalties.set_published(penalty_id, True, at)
    uow.publication.append(penalty_id, "relisted", True, reason, stream, at)


def schedule(
    uow: UnitOfWork, machine: str, subject_id: int, kind: str, due, now: datetime
) -> DeadlineData:
    """Store a deadline computed by the calendar (a ``deadlines.Deadline``)."""
    row = DeadlineData(
        machine=machine,
        subject_id=subject_id,
        kind=kind,
        due_at=due.due_at,
        rule=due.rule,
        inputs=due.inputs(),
        calendar_version=due.calendar_version,
        provisional=due.provisional,
        explanation=due.explain(),
    )
    return DeadlineData(**{**row.__dict__, "id": uow.deadlines.add(row)})


def deadline_facts(due) -> dict:
    """What an audit row records about a computed deadline."""
    return {
        "due_at": due.due_at.isoformat(),
        "rule": due.rule,
        "inputs": due.inputs(),
        "provisional": due.provisional,
        "calendar_version": due.calendar_version,
    }
