"""The registry of machines, and restoring one from a stored state value safely."""

import functools
import threading

from statemachine import StateMachine

from credit_repair.states.batch import BatchMachine
from credit_repair.states.batch_item import BatchItemMachine
from credit_repair.states.commitment import CommitmentMachine
from credit_repair.states.instant import InstantMachine
from credit_repair.workflow.errors import CorruptState, NotFound

MACHINES: dict[str, type[StateMachine]] = {
    "commitment": CommitmentMachine,
    "instant": InstantMachine,
    "batch": BatchMachine,
    "batch_item": BatchItemMachine,
}


def machine_class(name: str) -> type[StateMachine]:
    """The machine class registered under ``name``."""
    try:
        return MACHINES[name]
    except KeyError:
        raise NotFound("machine", name) from None


def state_values(cls: type[StateMachine]) -> dict[str, object]:
    """Stored value → state, for every state of ``cls``."""
    return {state.value: state for state in cls.states}


_idle = threading.local()


def restore(name: str, value: object, subject: str) -> StateMachine:
    """A machine in the stored state ``value``; an empty or unknown value is an error,
    never a silent reset to the initial state.

    Building a machine costs more than the transition itself, so each thread keeps
    one instance per machine and moves it to ``value``, restarting it first if its
    last event ended in a final state.
    """
    cls = machine_class(name)
    if value is None or value == "" or value not in cls.states_map:
        raise CorruptState(subject, name, value)
    idle = _idle.__dict__
    machine = idle.get(cls)
    if machine is None or (machine.is_terminated and not restarted(machine)):
        machine = idle[cls] = cls(start_value=value)
        return machine
    machine.current_state_value = value
    return machine


def restarted(machine: StateMachine) -> bool:
    """Let a machine that reached a final state take events again; False if this
    version of the library cannot be restarted this way (build a new one then).

    python-statemachine stops a machine's engine for good once a top-level final
    state is entered, and offers no public way to start it again short of building
    a new machine (about 0.3 ms, mostly resolving every callback anew). This gives
    the machine the fresh engine its constructor would, keeping the resolved
    callbacks; the caller then moves it to a stored state. It is the one place
    that touches the library's internals; ``tests/test_commitment_machine.py``
    fails if they change.
    """
    try:
        machine._engine = machine._get_engine()
    except AttributeError:
        return False
    return not machine.is_terminated


def discard(machine: StateMachine) -> None:
    """Stop reusing ``machine`` (after an event it refused or failed on)."""
    _idle.__dict__.pop(type(machine), None)


def state_names(*names: str) -> list[str]:
    """The stored values of every state of the machines ``names``, sorted."""
    return sorted(
        {value for name in names for value in state_values(machine_class(name))}
    )


def event_names(name: str) -> list[str]:
    """Every event of machine ``name``, whatever the state."""
    return sorted({event.id for event in machine_class(name).events})


def allowed_events(machine: StateMachine) -> list[str]:
    """Events the machine's current state has a transition for."""
    return list(_events_in(type(machine), machine.current_state_value))


@functools.cache
def _events_in(cls: type[StateMachine], value: object) -> tuple[str, ...]:
    transitions = cls.states_map[value].transitions
    return tuple(sorted({event.id for event in transitions.unique_events}))


def state_label(name: str, value: str) -> str:
    """The Chinese label of a stored state value."""
    state = machine_class(name).states_map.get(value)
    return state.name if state is not None else value


def is_final(name: str, value: str) -> bool:
    """Whether ``value`` is a final state of machine ``name``."""
    state = machine_class(name).states_map.get(value)
    return bool(state is not None and state.final)
