"""The commitment machine on its own: every (state, event) pair against a table."""

import pytest
from statemachine.exceptions import TransitionNotAllowed

from credit_repair.states.commitment import CommitmentMachine
from credit_repair.workflow.errors import CorruptState
from credit_repair.workflow.machines import allowed_events, discard, restarted, restore

OPEN = ["submitted", "taken_down", "awaiting_confirmation", "awaiting_training_proof"]
FINAL = ["effective", "relisted_barred", "rejected", "withdrawn"]
EVENTS = [
    "review",
    "request_confirmation",
    "confirm",
    "submit_proof",
    "expire_proof",
    "escalate",
    "withdraw",
]
PASS = {"unmet": [], "fulfilled": True, "has_all_documents": True}
FAIL = {"unmet": ["x"], "fulfilled": False, "has_all_documents": False}

# (state, event) -> (target with PASS guards, target with FAIL guards); absent = refused
EXPECTED = {
    ("submitted", "review"): ("taken_down", "rejected"),
    ("submitted", "submit_proof"): ("submitted", "submitted"),
    ("submitted", "withdraw"): ("withdrawn", "withdrawn"),
    ("taken_down", "request_confirmation"): ("awaiting_confirmation",) * 2,
    ("taken_down", "submit_proof"): ("taken_down", "taken_down"),
    ("taken_down", "expire_proof"): ("relisted_barred",) * 2,
    ("taken_down", "escalate"): ("taken_down", "taken_down"),
    ("taken_down", "withdraw"): ("withdrawn", "withdrawn"),
    ("awaiting_confirmation", "confirm"): ("effective", "relisted_barred"),
    ("awaiting_confirmation", "submit_proof"): ("awaiting_confirmation",) * 2,
    ("awaiting_confirmation", "expire_proof"): ("relisted_barred",) * 2,
    ("awaiting_confirmation", "escalate"): ("awaiting_confirmation",) * 2,
    ("awaiting_confirmation", "withdraw"): ("withdrawn", "withdrawn"),
    ("awaiting_training_proof", "submit_proof"): (
        "effective",
        "awaiting_training_proof",
    ),
    ("awaiting_training_proof", "expire_proof"): ("relisted_barred",) * 2,
    ("awaiting_training_proof", "escalate"): ("awaiting_training_proof",) * 2,
    ("awaiting_training_proof", "withdraw"): ("withdrawn", "withdrawn"),
}


@pytest.mark.parametrize("state", OPEN + FINAL)
@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize(
    "make", [CommitmentMachine, "restore"], ids=["fresh", "reused"]
)
def test_every_state_and_event_does_what_the_table_says(state, event, make):
    expected = EXPECTED.get((state, event))
    for position, guards in enumerate((PASS, FAIL)):
        if make == "restore":
            machine = restore("commitment", state, "case 1")
        else:
            machine = make(start_value=state)
        assert machine.current_state_value == state
        if expected is None:
            with pytest.raises(TransitionNotAllowed):
                machine.send(event, **guards)
            discard(machine)
            continue
        machine.send(event, **guards)
        assert machine.current_state_value == expected[position]


@pytest.mark.parametrize(
    ("has_all_documents", "target"),
    [(True, "effective"), (False, "awaiting_training_proof")],
)
def test_a_severe_confirmation_waits_for_the_training_proof(has_all_documents, target):
    machine = CommitmentMachine(start_value="awaiting_confirmation")
    machine.send(
        "confirm",
        fulfilled=True,
        needs_training_proof=True,
        has_all_documents=has_all_documents,
    )
    assert machine.current_state_value == target


def test_final_states_allow_no_event():
    for state in FINAL:
        assert allowed_events(CommitmentMachine(start_value=state)) == []


def test_allowed_events_of_an_open_state_are_listed():
    machine = CommitmentMachine(start_value="awaiting_confirmation")
    assert allowed_events(machine) == [
        "confirm",
        "escalate",
        "expire_proof",
        "submit_proof",
        "withdraw",
    ]


@pytest.mark.parametrize("stored", [None, "", "offline", "SUBMITTED"])
def test_an_empty_or_unknown_stored_state_is_an_error_naming_the_case(stored):
    with pytest.raises(CorruptState, match="case 42") as raised:
        restore("commitment", stored, "case 42")
    assert raised.value.value == stored


class TestReuseAfterAFinalState:
    """``restarted`` touches python-statemachine's internals: these fail first if
    a new version of the library changes them."""

    def test_the_library_stops_a_machine_that_reaches_a_final_state(self):
        machine = CommitmentMachine(start_value="awaiting_confirmation")
        machine.send("confirm", fulfilled=True)

        assert machine.is_terminated
        machine.current_state_value = "submitted"
        with pytest.raises(TransitionNotAllowed):
            machine.send("review", unmet=[])

    def test_a_restarted_machine_takes_events_again(self):
        machine = CommitmentMachine(start_value="awaiting_confirmation")
        machine.send("confirm", fulfilled=True)

        assert restarted(machine)
        machine.current_state_value = "submitted"
        machine.send("review", unmet=["x"])
        assert machine.current_state_value == "rejected"
        assert restarted(machine)
        machine.current_state_value = "awaiting_confirmation"
        machine.send("confirm", fulfilled=False)
        assert machine.current_state_value == "relisted_barred"

    def test_restore_keeps_the_same_machine_after_a_final_state(self):
        first = restore("commitment", "awaiting_confirmation", "case 1")
        first.send("confirm", fulfilled=True)

        again = restore("commitment", "taken_down", "case 2")
        assert again is first
        assert not again.is_terminated
        again.send("request_confirmation")
        assert again.current_state_value == "awaiting_confirmation"
