"""Running one event through a subject's machine and recording it: the shared core
of every use case that moves a case or a batch."""

from datetime import datetime
from typing import Any, Protocol

from statemachine.exceptions import TransitionNotAllowed as MachineRefused

from credit_repair.workflow.errors import (
    InvalidInput,
    TransitionNotAllowed,
    VersionConflict,
)
from credit_repair.workflow.machines import (
    allowed_events,
    discard,
    event_names,
    is_final,
    restore,
)
from credit_repair.workflow.model import Actor, AuditFact, CaseData
from credit_repair.workflow.ports import UnitOfWork


class Subject(Protocol):
    """What moves through a machine: a case or a batch."""

    id: int | None
    procedure: str
    state: str
    is_open: bool
    version: int
    regime: str
    regime_version: str
    created_at: datetime
    updated_at: datetime

    @property
    def stream(self) -> str: ...

    @property
    def label(self) -> str: ...


def check_version(case: Subject, expected_version: int | None) -> None:
    """Refuse to act on a subject that changed since the caller read it."""
    if expected_version is not None and expected_version != case.version:
        raise VersionConflict(case.label, expected_version, case.version)


def events_allowed(case: Subject) -> list[str]:
    """The events the subject's current state accepts."""
    return allowed_events(restore(case.procedure, case.state, case.label))


def decide(case: Subject, event: str, guards: dict[str, Any]) -> str:
    """The state ``event`` leads to from the subject's state, storing nothing."""
    machine = restore(case.procedure, case.state, case.label)
    allowed = allowed_events(machine)
    if event not in allowed:
        raise TransitionNotAllowed(case.label, event, case.state, allowed)
    try:
        machine.send(event, **guards)
    except MachineRefused:
        discard(machine)
        raise TransitionNotAllowed(case.label, event, case.state, allowed) from None
    except Exception:
        discard(machine)
        raise
    return machine.current_state_value


def record_transition(
    uow: UnitOfWork,
    case: Subject,
    event: str,
    target: str,
    actor: Actor,
    now: datetime,
    guards: dict[str, Any],
    payload: dict[str, Any] | None = None,
    store=None,
) -> str:
    """Store the subject in ``target`` (one version up, through ``store``, by
    default the case store) and append its audit row."""
    source = case.state
    case.state = target
    case.is_open = not is_final(case.procedure, target)
    case.updated_at = now
    case.version = (store or uow.cases).update(case)
    uow.audit.append(
        AuditFact(
            stream=case.stream,
            machine=case.procedure,
            event=event,
            source=source,
            target=target,
            actor=actor.label,
            actor_role=actor.role,
            occurred_at=now,
            payload={**(payload or {}), "guards": guards},
            regime=case.regime,
            regime_version=case.regime_version,
        )
    )
    return source


def record_note(
    uow: UnitOfWork,
    case: Subject,
    event: str,
    actor: Actor,
    now: datetime,
    payload: dict[str, Any],
    store=None,
) -> None:
    """Append a row that changes no state (``target`` None), one version up
    (through ``store``, by default the case store)."""
    case.updated_at = now
    case.version = (store or uow.cases).update(case)
    uow.audit.append(
        AuditFact(
            stream=case.stream,
            machine=case.procedure,
            event=event,
            source=case.state,
            target=None,
            actor=actor.label,
            actor_role=actor.role,
            occurred_at=now,
            payload=payload,
            regime=case.regime,
            regime_version=case.regime_version,
        )
    )


def record_creation(
    uow: UnitOfWork, case: Subject, actor: Actor, payload: dict, event: str = "submit"
) -> None:
    """Append the first row of a new subject's stream."""
    uow.audit.append(
        AuditFact(
            stream=case.stream,
            machine=case.procedure,
            event=event,
            source=None,
            target=case.state,
            actor=actor.label,
            actor_role=actor.role,
            occurred_at=case.created_at,
            payload=payload,
            regime=case.regime,
            regime_version=case.regime_version,
        )
    )


def run_event(
    wf,
    case_id: int,
    event: str,
    actor: Actor,
    inputs: dict[str, Any] | None,
    expected_version: int | None,
    handlers: dict,
    sent_otherwise: dict[str, str] | None = None,
    callers: frozenset[str] | None = None,
) -> CaseData:
    """Load the case, check its version and run ``handlers[event]`` in one
    transaction. The handlers' events are the ones a caller may send: any other
    event is refused whatever the state, as one only the service sends (or one
    that ``sent_otherwise`` says how to cause instead), or as no event of the
    case's machine at all. A state that refuses the event names the events a
    caller may send in it (``callers``, by default every handler's)."""
    handler = handlers.get(event)
    with wf.unit_of_work() as uow:
        case = uow.cases.get(case_id)
        if handler is None:
            raise InvalidInput(
                {
                    "event": _not_sent_by_callers(
                        case, event, callers or handlers, sent_otherwise
                    )
                }
            )
        check_version(case, expected_version)
        try:
            handler(wf, uow, case, actor, dict(inputs or {}))
        except TransitionNotAllowed as refused:
            sendable = [e for e in refused.allowed if e in (callers or handlers)]
            raise TransitionNotAllowed(
                refused.subject, refused.event, refused.state, sendable
            ) from None
        uow.commit()
    return case


def _not_sent_by_callers(
    case: Subject, event: str, callers, sent_otherwise: dict[str, str] | None
) -> str:
    events = event_names(case.procedure)
    if event in events:
        how = (sent_otherwise or {}).get(event, "is sent by the service only")
        return f"{event!r} {how}"
    service = [e for e in events if e not in callers]
    return (
        f"{event!r} is not an event of {case.procedure} cases; callers send "
        f"{', '.join(sorted(callers))}, the service sends {', '.join(service)}"
    )
