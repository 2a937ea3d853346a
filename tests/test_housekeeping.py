"""Daily housekeeping: records past their maximum period leave the portal, on
SQLite and PostgreSQL, audited and replayable; a dry run writes nothing."""

from datetime import UTC, date, datetime

import pytest
import structlog.testing
from sqlalchemy import delete, func, select

from credit_repair.persistence import audit_trail
from credit_repair.persistence.notifications import notifications
from credit_repair.persistence.tables import AuditEntry, PenaltyRecord
from credit_repair.persistence.unit_of_work import SqlUnitOfWork
from credit_repair.scheduler.housekeeping import run_housekeeping
from credit_repair.workflow import housekeeping
from credit_repair.workflow.calendar import WorkingCalendar
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.errors import InvalidInput
from credit_repair.workflow.housekeeping import last_start_past_maximum
from credit_repair.workflow.regimes import load_regime
from tests.checks import assert_log_consistent, feed, is_published
from tests.factories import company_of, make_record

AS_OF = date(2026, 3, 1)
ONE_AM = datetime(2026, 2, 28, 17, 0, tzinfo=UTC)  # Sun 2026-03-01 01:00 Shanghai


class TestLastStartPastMaximum:
    @pytest.mark.parametrize(
        ("months", "as_of", "last"),
        [
            (12, date(2026, 3, 1), date(2025, 2, 28)),
            (3, date(2026, 3, 1), date(2025, 11, 30)),  # 11-30 + 3 months = 02-28
            (12, date(2025, 3, 1), date(2024, 2, 29)),  # leap day + 1 year = 02-28
            (36, date(2026, 3, 1), date(2023, 2, 28)),
            (12, date(2026, 1, 1), date(2024, 12, 31)),
            (0, date(2026, 3, 1), date(2026, 2, 28)),
        ],
    )
    def test_is_the_latest_start_whose_period_ended_before(self, months, as_of, last):
        assert last_start_past_maximum(months, as_of) == last


@pytest.fixture
def wf(engine, clock) -> Workflow:
    clock.set(ONE_AM)
    return Workflow(
        unit_of_work=lambda: SqlUnitOfWork(engine, clock),
        clock=clock,
        calendar=WorkingCalendar(),
        regime=load_regime("kunming-2020"),
    )


def record(engine, decided, penalty_class="general", **fields) -> int:
    return make_record(
        engine,
        penalty_class=penalty_class,
        decision_date=decided,
        published_on=fields.pop("published_on", decided),
        **fields,
    )


def stored(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


@pytest.mark.storage
class TestExpiry:
    def test_records_leave_the_day_after_their_maximum_and_not_before(self, wf, engine):
        after = record(engine, date(2025, 2, 28))  # ended 2026-02-28
        at = record(engine, date(2025, 3, 1))  # ends today, 2026-03-01
        before = record(engine, date(2025, 3, 2))
        severe_after = record(engine, date(2023, 2, 28), "severe")
        severe_at = record(engine, date(2023, 3, 1), "severe")
        by_publication = record(
            engine, None, published_on=date(2025, 2, 28)
        )  # no decision date: counted from publication
        by_decision = record(engine, date(2025, 3, 1), published_on=date(2025, 1, 1))
        offline = record(engine, date(2024, 1, 1), is_published=False)
        record(engine, None, published_on=None)

        result = run_housekeeping(wf)

        expired = [e.penalty_id for e in result.expired]
        assert expired == [after, severe_after, by_publication]
        for penalty_id in expired:
            assert not is_published(engine, penalty_id)
            assert feed(engine, penalty_id) == ["expired"]
        for penalty_id in (at, before, severe_at, by_decision):
            assert is_published(engine, penalty_id)
            assert feed(engine, penalty_id) == []
        assert feed(engine, offline) == []
        assert (result.expired_count, result.undated) == (3, 1)
        assert result.expired[2].as_dict() == {
            "penalty_id": by_publication,
            "penalty_class": "general",
            "period_start": "2025-02-28",
            "period_start_basis": "published_on",
            "maximum_months": 12,
            "maximum_end": "2026-02-28",
        }
        assert_log_consistent(engine)

    def test_each_expiry_is_audited_in_the_record_stream_and_told(self, wf, engine):
        penalty_id = record(engine, date(2025, 2, 28))

        company = f"company:{company_of(engine, penalty_id)}"
        housekeeping.run(wf)

        table = AuditEntry.__table__
        with engine.connect() as conn:
            [row] = conn.execute(
                select(table).where(table.c.stream == f"record:{penalty_id}")
            ).all()
            version = conn.execute(
                select(PenaltyRecord.__table__.c.version).where(
                    PenaltyRecord.__table__.c.id == penalty_id
                )
            ).scalar_one()
            [notice] = notifications(conn, company)
        assert (row.machine, row.event, row.actor, version) == (
            "record",
            "expired",
            "scheduler (system)",
            1,
        )
        assert row.payload["maximum_end"] == "2026-02-28"
        assert row.payload["as_of"] == "2026-03-01"
        assert (row.regime, row.regime_version) == ("kunming-2020", "1")
        assert notice["kind"] == "record_expired"
        assert "已于2026-02-28届满最长公示期限" in notice["text"]
        assert_log_consistent(engine)

    def test_the_run_is_summed_up_in_one_log_line(self, wf, engine):
        record(engine, date(2025, 2, 28))
        with structlog.testing.capture_logs() as logs:
            run_housekeeping(wf)
        [line] = [entry for entry in logs if entry["event"] == "housekeeping_finished"]
        assert (line["expired"], line["duplicates"], line["as_of"]) == (
            1,
            0,
            "2026-03-01",
        )

    def test_a_second_run_the_same_day_changes_nothing(self, wf, engine):
        penalty_id = record(engine, date(2025, 2, 28))
        housekeeping.run(wf)

        again = housekeeping.run(wf)

        assert again.expired == []
        assert feed(engine, penalty_id) == ["expired"]
        assert_log_consistent(engine)

    def test_month_ends_follow_the_civil_code(self, wf, engine):
        wf.regime = load_regime("national-2026")  # minor: at most 3 months
        ended = record(engine, date(2025, 11, 30), "minor")  # ends 2026-02-28
        last_day = record(engine, date(2025, 12, 1), "minor")  # ends 2026-03-01

        result = housekeeping.run(wf)

        assert [e.penalty_id for e in result.expired] == [ended]
        assert result.expired[0].maximum_end == date(2026, 2, 28)
        assert is_published(engine, last_day)
        assert_log_consistent(engine)

    def test_records_are_handled_in_batches(self, wf, engine):
        ids = [record(engine, date(2024, 6, day)) for day in range(1, 6)]

        result = housekeeping.run(wf, batch_size=2)

        assert [e.penalty_id for e in result.expired] == ids
        assert_log_consistent(engine)

    def test_a_cut_record_stream_is_detected(self, wf, engine):
        penalty_id = record(engine, date(2025, 2, 28))
        housekeeping.run(wf)
        table = AuditEntry.__table__
        with engine.begin() as conn:
            conn.execute(delete(table).where(table.c.stream == f"record:{penalty_id}"))

        report = audit_trail.verify(engine)

        assert [(p.stream, p.problem) for p in report.problems] == [
            (f"record:{penalty_id}", "has no audit rows")
        ]


@pytest.mark.storage
class TestDryRun:
    def test_writes_nothing_and_may_look_ahead(self, wf, engine):
        soon = record(engine, date(2025, 3, 5))  # ends 2026-03-05
        record(engine, date(2025, 3, 6))
        counts = [stored(engine, t) for t in (AuditEntry, PenaltyRecord)]

        result = housekeeping.run(wf, as_of=date(2026, 3, 6), dry_run=True)

        assert [e.penalty_id for e in result.expired] == [soon]
        assert result.dry_run
        assert is_published(engine, soon)
        assert feed(engine, soon) == []
        assert [stored(engine, t) for t in (AuditEntry, PenaltyRecord)] == counts
        with engine.connect() as conn:
            assert notifications(conn) == []

    def test_a_real_run_may_not_look_ahead(self, wf, engine):
        with pytest.raises(InvalidInput, match="as_of"):
            housekeeping.run(wf, as_of=date(2026, 3, 2))
