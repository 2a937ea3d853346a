"""Settling a subject's pending deadlines, by kind or all at once, on every database."""

from datetime import UTC, datetime

import pytest

from credit_repair.persistence.stores.deadlines import SqlDeadlineStore
from credit_repair.workflow.model import DeadlineData

pytestmark = pytest.mark.storage

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
KINDS = ["department_answer", "department_reminder", "training_proof", "other"]


class Clock:
    def now(self) -> datetime:
        return NOW


def deadline(subject_id: int, kind: str, status: str = "pending") -> DeadlineData:
    return DeadlineData(
        machine="commitment",
        subject_id=subject_id,
        kind=kind,
        due_at=NOW,
        rule="working_days",
        inputs={},
        calendar_version="v",
        provisional=False,
        explanation="e",
        status=status,
    )


def settled(engine, change) -> dict[str, str]:
    """Subject 1 with one pending deadline of each kind and one already met;
    subject 2 alike. ``change(store)`` runs; returns subject 1's statuses."""
    with engine.begin() as conn:
        store = SqlDeadlineStore(conn, Clock())
        for subject_id in (1, 2):
            for kind in KINDS:
                store.add(deadline(subject_id, kind))
            store.add(deadline(subject_id, "done", status="met"))
        change(store)
        untouched = store.for_subject("commitment", 2)
        assert {d.status for d in untouched} == {"pending", "met"}
        return {d.kind: d.status for d in store.for_subject("commitment", 1)}


class TestSettle:
    def test_kinds_named_take_the_status_and_the_others_stay_pending(self, engine):
        statuses = settled(
            engine,
            lambda s: s.settle("commitment", 1, KINDS[:2], "met", NOW),
        )

        assert statuses == {
            "department_answer": "met",
            "department_reminder": "met",
            "training_proof": "pending",
            "other": "pending",
            "done": "met",
        }

    def test_without_kinds_every_pending_deadline_takes_the_status(self, engine):
        statuses = settled(
            engine, lambda s: s.settle("commitment", 1, None, "cancelled", NOW)
        )

        assert statuses == dict.fromkeys(KINDS, "cancelled") | {"done": "met"}

    def test_each_kind_can_take_its_own_status_and_the_rest_another(self, engine):
        each = {"department_answer": "met", "training_proof": "cancelled"}

        statuses = settled(
            engine, lambda s: s.settle_each("commitment", 1, each, "fired", NOW)
        )

        assert statuses == {
            "department_answer": "met",
            "department_reminder": "fired",
            "training_proof": "cancelled",
            "other": "fired",
            "done": "met",
        }

    def test_without_a_status_for_the_rest_only_the_kinds_named_change(self, engine):
        each = {"department_answer": "met", "training_proof": "cancelled"}

        statuses = settled(
            engine, lambda s: s.settle_each("commitment", 1, each, None, NOW)
        )

        assert statuses == {
            "department_answer": "met",
            "department_reminder": "pending",
            "training_proof": "cancelled",
            "other": "pending",
            "done": "met",
        }

    def test_it_counts_the_deadlines_it_settled(self, engine):
        counts = []
        settled(
            engine,
            lambda s: counts.append(s.settle("commitment", 1, ["other"], "met", NOW)),
        )

        assert counts == [1]
