"""Appending to a case's audit stream chains onto the head read with the locked
case row, without a read of its own, and still reads the head when the row at the
case's version is missing."""

import pytest
from sqlalchemy import delete, event, select

from credit_repair.persistence.tables import AuditEntry
from credit_repair.workflow import commitment
from credit_repair.workflow.model import Actor
from credit_repair.workflow.transitions import record_note
from tests.checks import assert_log_consistent
from tests.factories import make_record

pytestmark = pytest.mark.storage

OFFICE = Actor("王芳", "office")
LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF letter")
AUDIT = AuditEntry.__table__


def submitted(wf, engine):
    penalty_id = make_record(engine)
    return commitment.submit(wf, penalty_id, "website", OFFICE, documents=[LETTER])


def note(wf, case_id, statements: list[str]):
    """Append a note to the case's stream in one unit of work, collecting the SQL."""
    with wf.unit_of_work() as uow:
        listen = event.listens_for(uow.connection, "before_cursor_execute")
        listen(lambda _conn, _cursor, sql, *_: statements.append(sql))
        case = uow.cases.get(case_id)
        record_note(uow, case, "noted", OFFICE, wf.clock.now(), {"n": 1})
        uow.commit()


def stream(engine, case_id) -> list[tuple[int, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(AUDIT.c.stream_seq, AUDIT.c.prev_hash, AUDIT.c.hash)
            .where(AUDIT.c.stream == f"commitment:{case_id}")
            .order_by(AUDIT.c.stream_seq)
        )
        return [tuple(row) for row in rows]


class TestStreamHeads:
    def test_a_new_case_and_its_events_never_read_the_stream_head(self, wf, engine):
        statements: list[str] = []
        case = submitted(wf, engine)
        note(wf, case.id, statements)
        note(wf, case.id, statements)

        head_reads = [s for s in statements if s.startswith("SELECT audit_entry")]
        assert head_reads == []
        rows = stream(engine, case.id)
        assert [seq for seq, _, _ in rows] == [1, 2, 3]
        assert rows[2][1] == rows[1][2]
        assert_log_consistent(engine)

    def test_a_stream_cut_short_is_read_and_appended_to_at_its_end(self, wf, engine):
        case = submitted(wf, engine)
        note(wf, case.id, [])
        with engine.begin() as conn:
            conn.execute(
                delete(AUDIT).where(
                    AUDIT.c.stream == f"commitment:{case.id}", AUDIT.c.stream_seq == 2
                )
            )

        statements: list[str] = []
        note(wf, case.id, statements)

        assert any(s.startswith("SELECT audit_entry") for s in statements)
        rows = stream(engine, case.id)
        assert [seq for seq, _, _ in rows] == [1, 2]
        assert rows[1][1] == rows[0][2]
