"""The case store writes what changed since it read the case, and nothing is lost:
not a field set anew, not a JSON value changed in place."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from credit_repair.workflow import commitment
from credit_repair.workflow.errors import VersionConflict
from credit_repair.workflow.model import Actor
from tests.factories import make_record

pytestmark = pytest.mark.storage

OFFICE = Actor("王芳", "office")
LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF letter")


def submitted(wf, engine):
    penalty_id = make_record(engine)
    return commitment.submit(wf, penalty_id, "website", OFFICE, documents=[LETTER])


def stored(wf, case_id):
    with wf.unit_of_work() as uow:
        return uow.cases.get(case_id)


class TestUpdate:
    def test_a_changed_field_is_written_and_the_version_moves(self, wf, engine, clock):
        case = submitted(wf, engine)
        later = clock.advance(hours=1)
        with wf.unit_of_work() as uow:
            loaded = uow.cases.get(case.id)
            loaded.escalated_at = later
            loaded.updated_at = later
            assert uow.cases.update(loaded) == 2
            uow.commit()

        again = stored(wf, case.id)
        assert (again.escalated_at, again.updated_at, again.version) == (
            later,
            later,
            2,
        )
        assert again.state == "submitted"

    def test_a_json_value_changed_in_place_is_written(self, wf, engine):
        case = submitted(wf, engine)
        with wf.unit_of_work() as uow:
            loaded = uow.cases.get(case.id)
            loaded.outcome["note"] = "kept"
            uow.cases.update(loaded)
            uow.commit()

        assert stored(wf, case.id).outcome == {"note": "kept"}

    def test_only_the_changed_columns_are_set(self, wf, engine):
        case = submitted(wf, engine)
        statements: list[str] = []
        with wf.unit_of_work() as uow:
            listen = event.listens_for(uow.connection, "before_cursor_execute")
            listen(lambda _conn, _cursor, sql, *_: statements.append(sql))
            loaded = uow.cases.get(case.id)
            loaded.state = "taken_down"
            loaded.version = uow.cases.update(loaded)
            loaded.fulfilled = True
            loaded.updated_at += timedelta(seconds=1)
            loaded.version = uow.cases.update(loaded)
            uow.commit()

        sets = [s.split(" SET ")[1].split(" WHERE ")[0] for s in statements[1:]]
        assert [sorted(c.split("=")[0] for c in s.split(", ")) for s in sets] == [
            ["outcome", "state", "version"],
            ["fulfilled", "outcome", "updated_at", "version"],
        ]
        again = stored(wf, case.id)
        assert (again.state, again.fulfilled, again.version) == ("taken_down", True, 3)

    def test_a_case_changed_meanwhile_is_a_version_conflict(self, wf, engine):
        case = submitted(wf, engine)
        with wf.unit_of_work() as uow:
            loaded = uow.cases.get(case.id)
            loaded.version = 5
            with pytest.raises(VersionConflict):
                uow.cases.update(loaded)
