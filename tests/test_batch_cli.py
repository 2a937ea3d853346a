"""``credit-repair batch`` on a SQLite file with the real clock: start, export,
answer from the filled-in file, refusals, cancel."""

import csv
import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from credit_repair.cli import app
from credit_repair.settings import get_settings
from tests.factories import make_department, make_record

runner = CliRunner()


@pytest.fixture
def cli(engine, database_url, monkeypatch):
    monkeypatch.setenv("CREDIT_REPAIR_DATABASE_URL", database_url)
    monkeypatch.setenv("CREDIT_REPAIR_LOG_LEVEL", "WARNING")
    get_settings.cache_clear()
    yield lambda *args: runner.invoke(app, ["batch", *map(str, args)])
    get_settings.cache_clear()


def test_a_batch_from_the_command_line(cli, engine, tmp_path):
    decided = (datetime.now(UTC) - timedelta(days=150)).date()
    own = make_department(engine, "SCJ")
    for _ in range(3):
        make_record(engine, decision_date=decided, department_id=own)

    started = cli("start", "--actor", "王芳")
    assert started.exit_code == 0, started.output
    shown = json.loads(started.stdout)
    assert (shown["state"], shown["screened"]["items"]) == ("awaiting_confirmation", 3)

    sheet = tmp_path / "scj.csv"
    assert (
        cli("items", 1, "--department", "SCJ", "--format", "csv", "-o", sheet).exit_code
        == 0
    )
    rows = list(csv.reader(sheet.open(encoding="utf-8-sig")))
    rows[1][-1], rows[2][-1] = "是", "否"
    with sheet.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)
    answered = cli("confirm", 1, sheet, "--department", "SCJ")
    assert answered.exit_code == 0, answered.output
    assert json.loads(answered.stdout)["confirmed"] == 1

    refused = cli("review", 1, "--exclude", "1=重复")
    assert refused.exit_code == 1
    assert "transition_not_allowed" in refused.output
    assert cli("items", 1, "--format", "xlsx").exit_code == 2

    cancelled = cli("cancel", 1, "--reason", "测试")
    assert json.loads(cancelled.stdout)["by_reason"] == {
        "batch_cancelled": 2,
        "not_carried_out": 1,
    }
    listed = json.loads(cli("items", 1).stdout)
    assert [row["exclusion_text"] for row in listed] == [
        "测试",
        "部门确认未履行",
        "测试",
    ]
