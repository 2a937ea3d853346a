"""The class a department confirms is kept on the penalty record, with a reason
naming the case, and noted in the record's own audit stream in the same
transaction; on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import select

from credit_repair.importing import import_file
from credit_repair.persistence.tables import AuditEntry, PenaltyRecord
from credit_repair.persistence.views import case_view, penalty_view
from credit_repair.workflow import commitment
from credit_repair.workflow.model import Actor
from tests.checks import assert_log_consistent
from tests.factories import department_code, make_record
from tests.penalty_files import CHINESE_HEADERS, MARKET, ORG, _row, write_csv

pytestmark = pytest.mark.storage

OFFICE = Actor("王芳", "office")
INTAKE = Actor("portal", "intake")
LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF letter")
AUDIT = AuditEntry.__table__
RECORD = PenaltyRecord.__table__


def awaiting_confirmation(wf, engine, penalty_class="general"):
    penalty_id = make_record(engine, penalty_class=penalty_class)
    case = commitment.submit(wf, penalty_id, "website", INTAKE, documents=[LETTER])
    commitment.fire_event(wf, case.id, "review", OFFICE)
    commitment.fire_event(wf, case.id, "request_confirmation", OFFICE)
    department = Actor("李强", "department", department_code(engine, penalty_id))
    return penalty_id, case.id, department


def record(engine, penalty_id) -> dict:
    with engine.connect() as conn:
        return penalty_view(conn, penalty_id)


def record_stream(engine, penalty_id) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(AUDIT)
            .where(AUDIT.c.stream == f"record:{penalty_id}")
            .order_by(AUDIT.c.seq)
        )
        return [dict(r._mapping) for r in rows]


class TestConfirmedClass:
    def test_a_record_found_severe_says_so_and_why(self, wf, engine):
        penalty_id, case_id, department = awaiting_confirmation(wf, engine)

        commitment.fire_event(
            wf,
            case_id,
            "confirm",
            department,
            {"fulfilled": True, "penalty_class": "severe"},
        )

        shown = record(engine, penalty_id)
        assert shown["penalty_class"] == "severe"
        assert shown["class_reason"] == (
            f"严重失信：处罚机关{shown['department']['name']}在信用修复案件{case_id}中确认"
        )
        [note] = record_stream(engine, penalty_id)
        assert (note["event"], note["source"], note["target"]) == (
            "class_confirmed",
            None,
            None,
        )
        assert note["actor"] == "李强 (department)"
        assert note["payload"] == {
            "case": f"commitment:{case_id}",
            "penalty_class": "severe",
            "class_reason": shown["class_reason"],
            "previous": {"penalty_class": "general", "class_reason": "test"},
        }
        assert note["occurred_at"] == case_view_updated(engine, case_id)
        assert_log_consistent(engine)

    def test_a_relisted_record_keeps_the_class_confirmed_with_the_refusal(
        self, wf, engine
    ):
        penalty_id, case_id, department = awaiting_confirmation(wf, engine, "severe")

        commitment.fire_event(
            wf,
            case_id,
            "confirm",
            department,
            {"fulfilled": False, "penalty_class": "general"},
        )

        assert record(engine, penalty_id)["penalty_class"] == "general"
        assert [n["event"] for n in record_stream(engine, penalty_id)] == [
            "class_confirmed"
        ]
        assert_log_consistent(engine)

    def test_the_same_class_changes_nothing_on_the_record(self, wf, engine):
        penalty_id, case_id, department = awaiting_confirmation(wf, engine)

        commitment.fire_event(
            wf,
            case_id,
            "confirm",
            department,
            {"fulfilled": True, "penalty_class": "general"},
        )

        assert record(engine, penalty_id)["class_reason"] == "test"
        assert record_stream(engine, penalty_id) == []
        assert_log_consistent(engine)

    def test_a_failed_confirmation_leaves_the_record_as_it_was(
        self, wf, engine, monkeypatch
    ):
        penalty_id, case_id, department = awaiting_confirmation(wf, engine)
        from credit_repair.persistence.stores import outbox

        def broken(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(outbox.SqlOutbox, "notify", broken)
        with pytest.raises(RuntimeError):
            commitment.fire_event(
                wf,
                case_id,
                "confirm",
                department,
                {"fulfilled": False, "penalty_class": "severe"},
            )

        assert record(engine, penalty_id)["penalty_class"] == "general"
        assert record_stream(engine, penalty_id) == []
        assert_log_consistent(engine)

    def test_the_next_commitment_on_the_record_is_judged_as_severe(
        self, wf, engine, clock
    ):
        penalty_id, case_id, department = awaiting_confirmation(wf, engine)
        commitment.fire_event(
            wf,
            case_id,
            "confirm",
            department,
            {"fulfilled": True, "penalty_class": "severe"},
        )
        commitment.fire_event(wf, case_id, "withdraw", INTAKE, {"reason": "撤回"})

        again = commitment.submit(wf, penalty_id, "website", INTAKE, documents=[LETTER])
        commitment.fire_event(wf, again.id, "review", OFFICE)

        with engine.connect() as conn:
            shown = case_view(conn, again.id)
        assert shown["penalty_class"] == "severe"
        assert "training_proof" in {d["kind"] for d in shown["deadlines"]}
        assert_log_consistent(engine)


def case_view_updated(engine, case_id):
    with engine.connect() as conn:
        return case_view(conn, case_id)["updated_at"]


class TestReimport:
    def test_a_class_the_department_confirmed_outlasts_a_changed_import(
        self, wf, engine, tmp_path, clock
    ):
        def notice(facts: str) -> list:
            return _row("昆明乙公司", ORG, "91530100MA6K1234X5", "昆市监罚〔2025〕8号",
                        "罚款", "罚款0.2万元", "0.2", "2025-06-01", MARKET,
                        facts=facts)  # fmt: skip

        first = write_csv(tmp_path / "a.csv", CHINESE_HEADERS, [notice("超范围经营")])
        import_file(engine, first, clock_now=clock.now())
        penalty_id = only_record(engine)
        case = commitment.submit(wf, penalty_id, "website", INTAKE, documents=[LETTER])
        commitment.fire_event(wf, case.id, "review", OFFICE)
        commitment.fire_event(wf, case.id, "request_confirmation", OFFICE)
        department = Actor("李强", "department", department_code(engine, penalty_id))
        confirmed = {"fulfilled": True, "penalty_class": "severe"}
        commitment.fire_event(wf, case.id, "confirm", department, confirmed)
        reason = record(engine, penalty_id)["class_reason"]

        changed = write_csv(
            tmp_path / "b.csv", CHINESE_HEADERS, [notice("超范围经营。")]
        )
        summary = import_file(engine, changed, clock_now=clock.now()).as_dict()

        assert (summary["updated"], summary["updated_rows"]) == (1, [2])
        assert summary["warning_notes"] == [
            {
                "row": 2,
                "kind": "confirmed_class_kept",
                "detail": "the file suggests general; kept severe, confirmed by "
                f"the department in case {case.id}",
            }
        ]
        shown = record(engine, penalty_id)
        assert (shown["penalty_class"], shown["class_reason"]) == ("severe", reason)
        assert shown["facts"] == "超范围经营。"
        assert_log_consistent(engine)


def only_record(engine) -> int:
    with engine.connect() as conn:
        (penalty_id,) = conn.execute(select(RECORD.c.id)).scalars().all()
    return penalty_id
