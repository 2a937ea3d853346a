"""The batch and batch-item machines on their own: every (state, event) pair
against a table."""

import pytest
from statemachine.exceptions import TransitionNotAllowed

from credit_repair.states.batch import BatchMachine
from credit_repair.states.batch_item import BatchItemMachine
from credit_repair.workflow.errors import CorruptState
from credit_repair.workflow.machines import allowed_events, restore, state_label

BATCH_OPEN = ["screening", "awaiting_confirmation", "under_review", "announced"]
BATCH_FINAL = ["completed", "cancelled"]
BATCH_EVENTS = [
    "open_confirmation",
    "receive_answers",
    "close_confirmation",
    "exclude",
    "escalate",
    "approve",
    "receive_objection",
    "complete",
    "cancel",
]
# (state, event) -> target; absent = refused
BATCH_EXPECTED = {
    ("screening", "open_confirmation"): "awaiting_confirmation",
    ("screening", "cancel"): "cancelled",
    ("awaiting_confirmation", "receive_answers"): "awaiting_confirmation",
    ("awaiting_confirmation", "close_confirmation"): "under_review",
    ("awaiting_confirmation", "escalate"): "awaiting_confirmation",
    ("awaiting_confirmation", "cancel"): "cancelled",
    ("under_review", "exclude"): "under_review",
    ("under_review", "escalate"): "under_review",
    ("under_review", "approve"): "announced",
    ("under_review", "cancel"): "cancelled",
    ("announced", "receive_objection"): "announced",
    ("announced", "escalate"): "announced",
    ("announced", "complete"): "completed",
    ("announced", "cancel"): "cancelled",
}

ITEM_OPEN = ["candidate", "confirmed"]
ITEM_FINAL = ["excluded", "repaired"]
ITEM_EVENTS = ["answer", "expire", "exclude", "repair"]
YES, NO = {"fulfilled": True}, {"fulfilled": False}
# (state, event) -> (target when fulfilled, target when not); absent = refused
ITEM_EXPECTED = {
    ("candidate", "answer"): ("confirmed", "excluded"),
    ("candidate", "expire"): ("excluded", "excluded"),
    ("candidate", "exclude"): ("excluded", "excluded"),
    ("confirmed", "exclude"): ("excluded", "excluded"),
    ("confirmed", "repair"): ("repaired", "repaired"),
}


@pytest.mark.parametrize("state", BATCH_OPEN + BATCH_FINAL)
@pytest.mark.parametrize("event", BATCH_EVENTS)
def test_every_batch_state_and_event_does_what_the_table_says(state, event):
    machine = BatchMachine(start_value=state)
    expected = BATCH_EXPECTED.get((state, event))
    if expected is None:
        with pytest.raises(TransitionNotAllowed):
            machine.send(event)
        return
    machine.send(event)
    assert machine.current_state_value == expected


@pytest.mark.parametrize("state", ITEM_OPEN + ITEM_FINAL)
@pytest.mark.parametrize("event", ITEM_EVENTS)
def test_every_item_state_and_event_does_what_the_table_says(state, event):
    expected = ITEM_EXPECTED.get((state, event))
    for position, guards in enumerate((YES, NO)):
        machine = BatchItemMachine(start_value=state)
        if expected is None:
            with pytest.raises(TransitionNotAllowed):
                machine.send(event, **guards)
            continue
        machine.send(event, **guards)
        assert machine.current_state_value == expected[position]


def test_final_states_allow_no_event():
    for state in BATCH_FINAL:
        assert allowed_events(BatchMachine(start_value=state)) == []
    for state in ITEM_FINAL:
        assert allowed_events(BatchItemMachine(start_value=state)) == []


def test_the_machines_are_registered_with_chinese_labels():
    assert state_label("batch", "announced") == "公示中"
    assert state_label("batch_item", "repaired") == "已修复"
    assert allowed_events(restore("batch", "announced", "batch 1")) == [
        "cancel",
        "complete",
        "escalate",
        "receive_objection",
    ]


@pytest.mark.parametrize("machine", ["batch", "batch_item"])
@pytest.mark.parametrize("stored", [None, "", "open", "CANDIDATE"])
def test_an_unknown_stored_state_is_an_error_naming_the_subject(machine, stored):
    with pytest.raises(CorruptState, match="item 7") as raised:
        restore(machine, stored, "item 7")
    assert raised.value.value == stored
