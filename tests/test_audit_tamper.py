"""Tampering with the audit log in the database is detected and the row named."""

import pytest
from sqlalchemy import text

from credit_repair.persistence import audit_trail
from credit_repair.workflow import commitment
from credit_repair.workflow.model import Actor
from tests.factories import department_code, make_record

pytestmark = pytest.mark.storage

OFFICE = Actor("王芳", "office")
LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF letter")


@pytest.fixture
def effective_case(engine, wf):
    """A general case driven to ``effective``: five audit rows, version 5."""
    penalty_id = make_record(engine)
    case = commitment.submit(wf, penalty_id, "website", OFFICE, documents=[LETTER])
    commitment.attach_document(wf, case.id, "credit_report", "r.pdf", b"x", OFFICE)
    commitment.fire_event(wf, case.id, "review", OFFICE)
    commitment.fire_event(wf, case.id, "request_confirmation", OFFICE)
    department = Actor("李强", "department", department_code(engine, penalty_id))
    commitment.fire_event(wf, case.id, "confirm", department, {"fulfilled": True})
    assert audit_trail.verify(engine).ok
    return case.id


def problems(engine) -> list[str]:
    return [str(p) for p in audit_trail.verify(engine).problems]


def execute(engine, sql: str, **params) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql), params)


def test_an_edited_payload_is_named(engine, effective_case):
    execute(
        engine,
        "UPDATE audit_entry SET actor = 'someone else' "
        "WHERE stream = :s AND stream_seq = 4",
        s=f"commitment:{effective_case}",
    )
    assert problems(engine) == [
        f"commitment:{effective_case} row seq=4 #4: content differs from its hash"
    ]


def test_a_deleted_row_is_named(engine, effective_case):
    execute(
        engine,
        "DELETE FROM audit_entry WHERE stream = :s AND stream_seq = 2",
        s=f"commitment:{effective_case}",
    )
    found = problems(engine)
    assert (
        f"commitment:{effective_case} row seq=3 #3: out of place: expected #2" in found
    )
    assert (
        f"commitment:{effective_case} row seq=3 #3: does not chain to the row before it"
        in found
    )
    assert found[-1] == (
        f"commitment:{effective_case}: 4 rows but the subject is at version 5"
    )


def test_a_cut_tail_is_detected_by_the_version(engine, effective_case):
    execute(
        engine,
        "DELETE FROM audit_entry WHERE stream = :s AND stream_seq = 5",
        s=f"commitment:{effective_case}",
    )
    assert problems(engine) == [
        f"commitment:{effective_case}: 4 rows but the subject is at version 5"
    ]


def test_reordered_rows_are_named(engine, effective_case):
    stream = f"commitment:{effective_case}"
    execute(
        engine,
        "UPDATE audit_entry SET stream_seq = 99 WHERE stream = :s AND stream_seq = 2",
        s=stream,
    )
    execute(
        engine,
        "UPDATE audit_entry SET stream_seq = 2 WHERE stream = :s AND stream_seq = 3",
        s=stream,
    )
    execute(
        engine,
        "UPDATE audit_entry SET stream_seq = 3 WHERE stream = :s AND stream_seq = 99",
        s=stream,
    )
    found = problems(engine)
    assert any("#3: out of place: expected #2" in p for p in found)
    assert any("#2: out of place: expected #3" in p for p in found)


def test_an_inserted_row_is_named(engine, effective_case):
    stream = f"commitment:{effective_case}"
    execute(
        engine,
        "INSERT INTO audit_entry (stream, stream_seq, machine, event, source, target, "
        "actor, actor_role, occurred_at, payload, prev_hash, hash) "
        "SELECT stream, 6, machine, 'withdraw', 'effective', 'withdrawn', actor, "
        "actor_role, occurred_at, payload, hash, hash FROM audit_entry "
        "WHERE stream = :s AND stream_seq = 5",
        s=stream,
    )
    found = problems(engine)
    assert any("#6: content differs from its hash" in p for p in found)
    assert found[-1].endswith("6 rows but the subject is at version 5")


def test_a_changed_state_is_caught_by_replay(engine, effective_case):
    execute(
        engine,
        "UPDATE repair_case SET state = 'withdrawn' WHERE id = :i",
        i=effective_case,
    )
    report = audit_trail.replay_all(engine)
    assert report.differences == [
        {
            "stream": f"commitment:{effective_case}",
            "stored": "withdrawn",
            "replayed": "effective",
        }
    ]
