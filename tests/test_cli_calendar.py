"""The command line: calendar load and show, deadline, eligibility."""

import json
from datetime import date

import pytest
from record_factories import add_record
from sqlmodel import Session
from typer.testing import CliRunner

from credit_repair.cli import app
from credit_repair.persistence.db import make_engine
from credit_repair.settings import get_settings

TABLE_2027 = """
source = "invented for tests"

[[year]]
year = 2027
holidays = [{ name = "New Year's Day", first = 2027-01-01, last = 2027-01-03 }]
"""


@pytest.fixture
def cli(database_url, monkeypatch):
    """Run the command line against an empty migrated database."""
    monkeypatch.setenv("CREDIT_REPAIR_DATABASE_URL", database_url)
    monkeypatch.setenv("CREDIT_REPAIR_LOG_LEVEL", "WARNING")
    monkeypatch.delenv("CREDIT_REPAIR_CALENDAR_OVERRIDES", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, [str(a) for a in args])
    get_settings.cache_clear()


class TestDeadlineCommand:
    def test_prints_the_due_instant_and_the_explanation(self, cli):
        result = cli(
            "deadline", "--from", "2026-09-30T16:00+08:00", "--working-days", 1
        )
        assert result.exit_code == 0, result.output
        assert "due (local): 2026-10-09T00:00:00+08:00" in result.stdout
        assert "due (UTC):   2026-10-08T16:00:00Z" in result.stdout
        assert "provisional: no" in result.stdout
        assert "calendar:    chinese-calendar" in result.stdout
        assert "skipped 10-01..10-07 (National Day) → Thu 2026-10-08 24:00" in (
            result.stdout
        )

    def test_prints_json_on_request(self, cli):
        result = cli(
            "deadline", "--from", "2026-09-25T10:00+08:00", "--days", 7, "--json"
        )
        answer = json.loads(result.stdout)
        assert answer["due_at"] == "2026-10-08T16:00:00Z"
        assert answer["inputs"]["rule"] == "days"

    def test_marks_a_provisional_deadline(self, cli):
        result = cli("deadline", "--from", "2026-12-31T10:00Z", "--working-days", 1)
        assert "provisional: yes: no official working-day arrangement for 2027" in (
            result.stdout
        )

    def test_refuses_a_start_without_a_time_zone_naming_the_option(self, cli):
        result = cli("deadline", "--from", "2026-09-30T16:00", "--working-days", 1)
        assert result.exit_code == 2
        assert "--from" in result.output
        assert "no time zone" in result.output

    @pytest.mark.parametrize(
        "amounts", [[], ["--days", "1", "--working-days", "1"]], ids=["none", "both"]
    )
    def test_needs_exactly_one_amount(self, cli, amounts):
        result = cli("deadline", "--from", "2026-09-30T16:00+08:00", *amounts)
        assert result.exit_code == 2
        assert "exactly one" in result.output


class TestCalendarCommands:
    def test_load_then_show_a_year_and_load_again_idempotently(self, cli, tmp_path):
        path = tmp_path / "2027.toml"
        path.write_text(TABLE_2027, encoding="utf-8")

        before = cli("calendar", "show", 2027)
        assert "PROVISIONAL" in before.stdout

        first = cli("calendar", "load", path)
        assert first.exit_code == 0, first.output
        assert "2027: added (3 holiday days, 0 exchanged workdays)" in first.stdout
        assert "official tables sha256:" in first.stdout

        again = cli("calendar", "load", path)
        assert "2027: unchanged" in again.stdout

        after = cli("calendar", "show", 2027)
        assert "PROVISIONAL" not in after.stdout
        assert "01-01..01-03    New Year's Day 元旦 (3 days)" in after.stdout

    def test_show_lists_holidays_and_exchanged_workdays(self, cli):
        result = cli("calendar", "show", 2026)
        assert "02-15..02-23    Spring Festival 春节 (9 days)" in result.stdout
        assert "Sat 2026-10-10  National Day 国庆节\n" in result.stdout

    def test_load_refuses_a_faulty_file(self, cli, tmp_path):
        path = tmp_path / "bad.toml"
        path.write_text("[[day]]\nday = 2027-01-01\nworking = false\n")
        result = cli("calendar", "load", path)
        assert result.exit_code == 2
        assert "no whole year" in result.output


class TestEligibilityCommand:
    @pytest.fixture
    def record_id(self, cli, database_url):
        engine = make_engine(database_url)
        with Session(engine) as session:
            record = add_record(
                session, penalty_class="severe", decision_date=date(2026, 3, 31)
            )
            session.commit()
            record_id = record.id
        engine.dispose()
        return record_id

    def test_lists_every_unmet_condition_and_exits_1(self, cli, record_id):
        result = cli(
            "eligibility",
            record_id,
            "--procedure",
            "instant",
            "--on",
            "2026-06-01",
            "--not-fulfilled",
            "--json",
        )
        assert result.exit_code == 1
        answer = json.loads(result.stdout)
        assert answer["regime"] == "kunming-2020"
        assert [u["code"] for u in answer["unmet"]] == [
            "not_on_national_site",
            "penalty_not_carried_out",
            "minimum_period_not_reached",
            "commitment_letter_missing",
            "training_certificate_missing",
            "credit_report_missing",
        ]

    def test_says_eligible_and_exits_0(self, cli, record_id):
        result = cli(
            "eligibility",
            record_id,
            "--on",
            "2026-10-01",
            "--document",
            "commitment_letter",
        )
        assert result.exit_code == 0, result.output
        assert "on 2026-10-01: eligible" in result.stdout

    def test_an_unknown_record_or_regime_is_a_usage_error(self, cli, record_id):
        assert "no penalty record 999" in cli("eligibility", 999).output
        unknown = cli("eligibility", record_id, "--regime", "nowhere-2030")
        assert unknown.exit_code == 2
        assert "kunming-2020" in unknown.output
