"""The instant-repair machine on its own: every (state, event) pair against a table."""

import pytest
from statemachine.exceptions import TransitionNotAllowed

from credit_repair.states.instant import InstantMachine
from credit_repair.workflow.machines import allowed_events, restore, state_label

OPEN = ["submitted", "forwarded", "returned"]
FINAL = ["repaired", "refused", "withdrawn"]
EVENTS = ["prelim_review", "resubmit", "repair", "refuse", "flag_overdue", "withdraw"]
PASS = {"unmet": []}
FAIL = {"unmet": ["commitment_letter_missing"]}

# (state, event) -> (target with PASS guards, target with FAIL guards); absent = refused
EXPECTED = {
    ("submitted", "prelim_review"): ("forwarded", "returned"),
    ("returned", "resubmit"): ("submitted", "submitted"),
    ("returned", "withdraw"): ("withdrawn", "withdrawn"),
    ("forwarded", "repair"): ("repaired", "repaired"),
    ("forwarded", "refuse"): ("refused", "refused"),
    ("forwarded", "flag_overdue"): ("forwarded", "forwarded"),
}


@pytest.mark.parametrize("state", OPEN + FINAL)
@pytest.mark.parametrize("event", EVENTS)
def test_every_state_and_event_does_what_the_table_says(state, event):
    expected = EXPECTED.get((state, event))
    for position, guards in enumerate((PASS, FAIL)):
        machine = InstantMachine(start_value=state)
        if expected is None:
            with pytest.raises(TransitionNotAllowed):
                machine.send(event, **guards)
            continue
        machine.send(event, **guards)
        assert machine.current_state_value == expected[position]


def test_final_states_allow_no_event():
    for state in FINAL:
        assert allowed_events(InstantMachine(start_value=state)) == []


@pytest.mark.parametrize(
    ("state", "events"),
    [
        ("submitted", ["prelim_review"]),
        ("forwarded", ["flag_overdue", "refuse", "repair"]),
        ("returned", ["resubmit", "withdraw"]),
    ],
)
def test_allowed_events_of_each_open_state(state, events):
    assert allowed_events(InstantMachine(start_value=state)) == events


def test_the_machine_is_registered_with_chinese_labels():
    assert restore("instant", "forwarded", "case 7").current_state_value == "forwarded"
    assert state_label("instant", "returned") == "已退回补正"
    assert state_label("instant", "repaired") == "修复完成"
