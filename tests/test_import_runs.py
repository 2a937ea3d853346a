"""Import runs on every database: re-imports change nothing, changed rows are
updated and reported, a dry run writes nothing, and an interrupted import leaves
whole chunks only."""

import json
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from credit_repair.importing import ImportInterrupted, import_file
from credit_repair.persistence import penalty_import
from credit_repair.persistence.db import reading
from credit_repair.persistence.import_runs import (
    GONE,
    RUN,
    RunNotRunning,
    mark_stale,
    wall_clock,
)
from credit_repair.persistence.tables import Company, ImportRun, PenaltyRecord
from credit_repair.workflow.importing import CHUNK_ROWS
from tests.penalty_files import CHINESE_HEADERS, NATIONAL_ROWS, write_csv
from tests.processes import ROOT, command_env, run_command

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


def set_last_beat(engine, run_id: int, ago: timedelta) -> None:
    """Pretend the run's process committed its last chunk ``ago``."""
    with engine.begin() as conn:
        conn.execute(
            update(RUN).where(RUN.c.id == run_id).values(updated_at=wall_clock() - ago)
        )


class TestAGoneProcess:
    """A run whose process died stays 'running' in the table; once it has not
    committed a chunk for ten minutes it is marked 'interrupted' by the next
    import or listing, in any process, and the file can be imported again."""

    def test_the_next_import_marks_a_silent_run_interrupted(
        self, engine, tmp_path, clock
    ):
        path = write_csv(tmp_path / "p.csv", CHINESE_HEADERS, many_rows(25))
        killed = stopped_run(engine, path, clock)
        with engine.begin() as conn:  # what SIGKILL leaves: no finish
            conn.execute(update(RUN).where(RUN.c.id == killed).values(status="running"))
        set_last_beat(engine, killed, timedelta(minutes=10, seconds=1))

        again = import_file(engine, path, clock_now=clock.now(), chunk_rows=10)

        run = run_row(engine, killed)
        assert (run.status, run.error) == ("interrupted", GONE)
        assert (again.imported, again.unchanged) == (15, 10)
        assert run_row(engine, again.run_id).status == "completed"

    def test_a_run_that_beat_within_ten_minutes_is_left_running(
        self, engine, tmp_path, clock
    ):
        path = write_csv(tmp_path / "p.csv", CHINESE_HEADERS, many_rows(25))
        working = stopped_run(engine, path, clock)
        with engine.begin() as conn:
            conn.execute(
                update(RUN).where(RUN.c.id == working).values(status="running")
            )
        set_last_beat(engine, working, timedelta(minutes=9, seconds=59))

        with engine.begin() as conn:
            assert mark_stale(conn, wall_clock()) == []
        assert run_row(engine, working).status == "running"

    def test_a_slow_process_whose_run_was_marked_keeps_nothing_more(
        self, engine, tmp_path, clock
    ):
        path = write_csv(tmp_path / "p.csv", CHINESE_HEADERS, many_rows(25))

        def marked_by_another_process(done: int, total: int | None) -> None:
            if done == 10:
                with engine.begin() as conn:
                    conn.execute(
                        update(RUN)
                        .where(RUN.c.status == "running")
                        .values(status="interrupted", error=GONE)
                    )

        with pytest.raises(ImportInterrupted) as stopped:
            import_file(
                engine,
                path,
                clock_now=clock.now(),
                chunk_rows=10,
                progress=marked_by_another_process,
            )

        assert isinstance(stopped.value.__cause__, RunNotRunning)
        assert counts(engine) == (10, 10)
        run = run_row(engine, stopped.value.summary.run_id)
        assert (run.status, run.rows_committed, run.last_row) == ("interrupted", 10, 11)

    def test_each_chunk_moves_the_heartbeat(self, engine, tmp_path, clock):
        path = write_csv(tmp_path / "p.csv", CHINESE_HEADERS, many_rows(25))
        beats = []

        def watch(done: int, total: int | None) -> None:
            with engine.connect() as conn:
                beats.append(conn.scalar(select(RUN.c.updated_at)))

        import_file(engine, path, clock_now=clock.now(), chunk_rows=10, progress=watch)

        assert len(beats) == 4 and beats == sorted(beats)
        assert beats[0] is not None and beats[1] > beats[0]


def stopped_run(engine, path, clock) -> int:
    """The id of a run that committed one chunk of ten rows and stopped."""

    def stop(done: int, total: int | None) -> None:
        if done >= 10:
            raise RuntimeError("killed")

    with pytest.raises(ImportInterrupted) as stopped:
        import_file(engine, path, clock_now=clock.now(), chunk_rows=10, progress=stop)
    return stopped.value.summary.run_id


@pytest.mark.slow
def test_an_import_killed_mid_file_is_shown_interrupted_and_a_rerun_completes_it(
    engine, database_url, tmp_path
):
    path = write_csv(tmp_path / "big.csv", CHINESE_HEADERS, many_rows(3 * CHUNK_ROWS))
    importer = subprocess.Popen(
        [sys.executable, "-m", "credit_repair", "import", str(path)],
        cwd=ROOT,
        env=command_env(database_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        killed = wait_for_a_committed_chunk(engine)
    finally:
        importer.kill()
        importer.wait()
    left = run_row(engine, killed)
    assert left.status == "running" and left.rows_committed < 3 * CHUNK_ROWS

    just_after = run_command(database_url, "import-runs")
    set_last_beat(engine, killed, timedelta(minutes=11))
    later = run_command(database_url, "import-runs")
    rerun = json.loads(run_command(database_url, "import", str(path), "--json"))

    assert f"run {killed}  running" in just_after
    assert f"run {killed}  interrupted" in later and GONE in later
    assert rerun["unchanged"] == left.rows_committed
    assert rerun["imported"] + rerun["unchanged"] == 3 * CHUNK_ROWS
    assert run_row(engine, killed).status == "interrupted"


def wait_for_a_committed_chunk(engine, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with reading(engine) as conn:  # never waits for the importer's write lock
            run = conn.execute(
                select(RUN.c.id, RUN.c.rows_committed).where(RUN.c.rows_committed > 0)
            ).first()
        if run is not None:
            return run.id
        time.sleep(0.01)
    raise AssertionError("the importer committed no chunk")
