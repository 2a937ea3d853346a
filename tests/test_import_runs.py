"""Import runs on every database: re-imports change nothing, changed rows are
updated and reported, a dry run writes nothing, and an interrupted import leaves
whole chunks only."""

import pytest
from sqlalchemy import func, select

from credit_repair.importing import ImportInterrupted, import_file
from credit_repair.persistence import penalty_import
from credit_repair.persistence.tables import Company, ImportRun, PenaltyRecord
from tests.penalty_files import CHINESE_HEADERS, NATIONAL_ROWS, write_csv

pytestmark = pytest.mark.storage


def many_rows(count: int) -> list[list[str]]:
    """``count`` distinct penalty rows, each of its own company."""
    rows = []
    for n in range(count):
        row = list(NATIONAL_ROWS[0])
        row[0], row[2] = f"昆明第{n}号有限公司", ""
        row[4] = f"昆市监罚〔2025〕{n}号"
        rows.append(row)
    return rows


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        records = conn.scalar(select(func.count()).select_from(PenaltyRecord))
        companies = conn.scalar(select(func.count()).select_from(Company))
    return records, companies


def run_row(engine, run_id: int):
    with engine.connect() as conn:
        return conn.execute(
            select(ImportRun.__table__).where(ImportRun.__table__.c.id == run_id)
        ).one()


class TestReimport:
    def test_the_same_file_twice_changes_nothing(self, engine, tmp_path, clock):
        path = write_csv(tmp_path / "p.csv", CHINESE_HEADERS, NATIONAL_ROWS)
        first = import_file(engine, path, clock_now=clock.now())
        before = counts(engine)

        second = import_file(engine, path, clock_now=clock.advance(days=1))

        assert (second.imported, second.updated, second.unchanged) == (0, 0, 7)
        assert second.rejected == first.rejected == 3
        assert counts(engine) == before

    def test_a_changed_row_is_updated_and_reported(self, engine, tmp_path, clock):
        path = write_csv(tmp_path / "p.csv", CHINESE_HEADERS, NATIONAL_ROWS)
        import_file(engine, path, clock_now=clock.now())
        changed = [list(row) for row in NATIONAL_ROWS]
        changed[4][10] = "60"  # row 6: the fine goes from 120万 to 60万 yuan
        write_csv(path, CHINESE_HEADERS, changed)

        summary = import_file(engine, path, clock_now=clock.advance(days=1))

        assert (summary.imported, summary.updated, summary.unchanged) == (0, 1, 6)
        assert summary.updated_rows == [6]
        with engine.connect() as conn:
            record = conn.execute(
                select(PenaltyRecord.__table__).where(
                    PenaltyRecord.__table__.c.decision_number == "昆税罚〔2024〕12号"
                )
            ).one()
        assert record.fine_yuan == 600000
        assert record.penalty_class == "general"
        assert record.updated_at == clock.now()
        assert record.created_at < record.updated_at
        assert counts(engine)[0] == 7

    def test_an_update_keeps_a_record_taken_down_offline(self, engine, tmp_path, clock):
        path = write_csv(tmp_path / "p.csv", CHINESE_HEADERS, NATIONAL_ROWS)
        import_file(engine, path, clock_now=clock.now())
        table = PenaltyRecord.__table__
        with engine.begin() as conn:
            conn.execute(table.update().values(is_published=False))
        changed = [list(row) for row in NATIONAL_ROWS]
        changed[0][6] = "销售超过保质期的食品"
        write_csv(path, CHINESE_HEADERS, changed)

        assert import_file(engine, path, clock_now=clock.now()).updated == 1
        with engine.connect() as conn:
            assert not conn.scalar(select(func.count()).where(table.c.is_published))


class TestDryRun:
    def test_a_dry_run_reports_like_a_real_run_and_writes_nothing(
        self, engine, tmp_path, clock
    ):
        path = write_csv(tmp_path / "p.csv", CHINESE_HEADERS, many_rows(25))

        dry = import_file(
            engine, path, clock_now=clock.now(), dry_run=True, chunk_rows=10
        )

        assert (dry.dry_run, dry.imported, dry.run_id) == (True, 25, None)
        assert counts(engine) == (0, 0)
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(ImportRun)) == 0
        real = import_file(engine, path, clock_now=clock.now(), chunk_rows=10)
        assert (dry.chunks_committed, dry.last_committed_row) == (0, None)
        committed = {"chunks_committed": 0, "last_committed_row": None}
        assert real.as_dict() | {"dry_run": True, "run_id": None} | committed == (
            dry.as_dict()
        )


class TestInterruptedImport:
    def test_a_failing_progress_callback_stops_after_whole_chunks(
        self, engine, tmp_path, clock
    ):
        path = write_csv(tmp_path / "p.csv", CHINESE_HEADERS, many_rows(35))

        def stop_after_second_chunk(done: int, total: int | None) -> None:
            if done >= 20:
                raise RuntimeError("operator pressed stop")

        with pytest.raises(ImportInterrupted) as stopped:
            import_file(
                engine,
                path,
                clock_now=clock.now(),
                chunk_rows=10,
                progress=stop_after_second_chunk,
            )

        summary = stopped.value.summary
        assert (summary.completed, summary.chunks_committed) == (False, 2)
        assert (summary.read, summary.imported, summary.last_committed_row) == (
            20,
            20,
            21,
        )
        assert "operator pressed stop" in summary.stopped_because
        assert "through row 21" in str(stopped.value)
        assert counts(engine) == (20, 20)
        run = run_row(engine, summary.run_id)
        assert (run.status, run.rows_committed, run.last_row) == ("interrupted", 20, 21)

    def test_a_chunk_that_fails_part_way_leaves_nothing_of_itself(
        self, engine, tmp_path, clock, monkeypatch
    ):
        path = write_csv(tmp_path / "p.csv", CHINESE_HEADERS, many_rows(35))
        store = penalty_import.SqlImportTarget._store_records
        calls = []

        def fail_in_third_chunk(self, conn, drafts, *args):
            calls.append(len(drafts))
            if len(calls) == 3:  # its companies are already inserted by now
                raise ConnectionError("database went away")
            return store(self, conn, drafts, *args)

        monkeypatch.setattr(
            penalty_import.SqlImportTarget, "_store_records", fail_in_third_chunk
        )
        with pytest.raises(ImportInterrupted) as stopped:
            import_file(engine, path, clock_now=clock.now(), chunk_rows=10)

        assert stopped.value.summary.chunks_committed == 2
        assert counts(engine) == (20, 20)
        monkeypatch.undo()
        resumed = import_file(engine, path, clock_now=clock.now(), chunk_rows=10)
        assert (resumed.imported, resumed.unchanged) == (15, 20)
        assert counts(engine) == (35, 35)

    def test_a_completed_run_is_recorded_with_its_summary(
        self, engine, tmp_path, clock
    ):
        path = write_csv(tmp_path / "p.csv", CHINESE_HEADERS, NATIONAL_ROWS)

        summary = import_file(engine, path, clock_now=clock.now())

        run = run_row(engine, summary.run_id)
        assert (run.status, run.rows_committed, run.last_row) == ("completed", 10, 11)
        assert run.summary["imported"] == 7
        assert run.file_sha256 == summary.file_sha256
        with engine.connect() as conn:
            linked = conn.scalar(
                select(func.count()).where(
                    PenaltyRecord.__table__.c.import_run_id == summary.run_id
                )
            )
        assert linked == 7
