"""``credit-repair import`` and ``credit-repair penalties`` from the command line."""

import json

import pytest
from typer.testing import CliRunner

from credit_repair.cli import app
from credit_repair.settings import get_settings
from tests.penalty_files import CHINESE_HEADERS, NATIONAL_ROWS, write_csv


@pytest.fixture
def cli(monkeypatch, database_url):
    monkeypatch.setenv("CREDIT_REPAIR_DATABASE_URL", database_url)
    monkeypatch.setenv("CREDIT_REPAIR_LOG_LEVEL", "WARNING")
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(app, [str(arg) for arg in args])
    get_settings.cache_clear()


@pytest.fixture
def penalty_csv(tmp_path):
    return write_csv(tmp_path / "penalties.csv", CHINESE_HEADERS, NATIONAL_ROWS)


def test_import_prints_one_summary(cli, penalty_csv):
    result = cli("import", penalty_csv)

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "penalties.csv: layout national, run 1"
    assert "  imported         7" in lines
    assert any(line.startswith("  expired  ") for line in lines)
    assert any(line.startswith("    party_is_person") for line in lines)
    assert "  row 8: party_is_person" in result.output


def test_a_party_named_otherwise_under_a_known_uscc_is_shown_with_both_names(
    cli, tmp_path
):
    other = list(NATIONAL_ROWS[0])
    other[0], other[4] = "昆明甲食品厂", "昆市监罚〔2024〕199号"
    path = write_csv(tmp_path / "p.csv", CHINESE_HEADERS, [NATIONAL_ROWS[0], other])

    result = cli("import", path)

    assert "    party_name_differs         1  (rows 3)" in result.output
    assert (
        "      row 3: 统一社会信用代码91530100MA6NXQ2K1P已登记为“昆明甲食品有限公司”，"
        "本条记录公示为“昆明甲食品厂”"
    ) in result.output


def test_a_dry_run_says_so_and_stores_nothing(cli, penalty_csv):
    dry = cli("import", penalty_csv, "--dry-run", "--json")
    counts = json.loads(cli("penalties", "--json").output)

    assert json.loads(dry.output)["dry_run"] is True
    assert counts["records"] == 0


def test_penalties_counts_by_class_authority_and_province(cli, penalty_csv):
    imported = cli("import", penalty_csv, "--published-where", "national", "--json")
    # the two general records decided 2024-12-11 are past their maximum today
    expired = json.loads(imported.output)["expired"]

    result = cli("penalties", "--top", "1")

    assert result.exit_code == 0
    assert expired >= 2
    assert f"records: 7 ({6 - expired} published)" in result.output
    assert "        2  specific_severe" in result.output
    assert "by authority (top 1 of 4)" in result.output
    assert "        4  昆明市市场监督管理局" in result.output
    assert "        7  (unknown)" in result.output


def test_a_forced_layout_that_does_not_fit_is_an_error(cli, penalty_csv):
    result = cli("import", penalty_csv, "--layout", "nfra")

    assert result.exit_code == 2
    assert "nfra layout: missing column(s) 当事人名称" in result.output
