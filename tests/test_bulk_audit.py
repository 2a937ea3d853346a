"""Audit rows written set-based, hashed by the database, are the rows the hash
rule gives in Python: even for text that JSON must escape or that looks like a
placeholder."""

import itertools
from datetime import date

import pytest
from sqlalchemy import select

from credit_repair.persistence.stores.audit import audit_row
from credit_repair.persistence.tables import AuditEntry
from credit_repair.workflow import batch_confirmation, batch_review, batches
from credit_repair.workflow.audit import chain_hash
from credit_repair.workflow.batch_confirmation import ItemAnswer
from credit_repair.workflow.firing import fire_deadline
from credit_repair.workflow.model import Actor
from tests.batch_support import department, items, local, workflow
from tests.checks import assert_log_consistent
from tests.factories import make_department, make_record

pytestmark = pytest.mark.storage

AWKWARD = (
    'quote " backslash \\ newline \n tab \t sep \u2028 汉字 😀 @0123456789abcdef.id@'
)
AUDIT = AuditEntry.__table__


def test_awkward_text_hashes_the_same_in_the_database_and_in_python(engine, clock):
    clock.set(local(2026, 4, 1, 9, 0))
    wf = workflow(engine, clock)
    own = make_department(engine, "SCJ")
    make_record(engine, decision_date=date(2025, 12, 1), department_id=own)
    office = Actor('王"芳\\', "office")
    batch = batches.start_batch(wf, office)
    [item_id] = items(engine, batch.id)
    batch_confirmation.confirm_items(
        wf, batch.id, "SCJ", [ItemAnswer(item_id, True)], department("SCJ")
    )
    clock.set(local(2026, 4, 8, 0, 5))
    assert fire_deadline(wf, 1) == "close_confirmation"

    batch_review.exclude_items(wf, batch.id, {item_id: AWKWARD}, office)

    with engine.connect() as conn:
        rows = conn.execute(
            select(AUDIT)
            .where(AUDIT.c.stream == f"batch_item:{item_id}")
            .order_by(AUDIT.c.stream_seq)
        ).all()
    assert [r.event for r in rows] == ["screen", "answer", "exclude"]
    last = rows[-1]
    assert last.payload["reason"] == {"code": "excluded_at_review", "text": AWKWARD}
    assert last.actor == '王"芳\\ (office)'
    assert items(engine, batch.id)[item_id]["exclusion_text"] == AWKWARD
    for previous, row in itertools.pairwise(rows):
        assert row.prev_hash == previous.hash
    assert_log_consistent(engine)


def test_chain_hash_is_what_the_stored_rows_carry(engine, clock):
    clock.set(local(2026, 4, 1, 9, 0))
    make_record(engine, decision_date=date(2025, 12, 1))
    batches.start_batch(workflow(engine, clock), Actor("李\n四", "office"))

    with engine.connect() as conn:
        stored = [audit_row(r) for r in conn.execute(select(AUDIT))]
    assert stored
    for row in stored:
        assert chain_hash(row.prev_hash, row.fact, row.stream_seq) == row.hash
