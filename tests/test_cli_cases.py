"""``credit-repair case``, ``diagram`` and ``audit replay`` on a SQLite file with the
real clock, as the README walks through them: what a clerk reads, and a clear
error instead of a traceback for input the commands cannot use."""

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from credit_repair.cli import app
from credit_repair.persistence.audit_trail import counted_by_kind
from credit_repair.settings import get_settings
from tests.factories import department_code, make_record

runner = CliRunner()


@pytest.fixture
def cli(engine, database_url, monkeypatch):
    monkeypatch.setenv("CREDIT_REPAIR_DATABASE_URL", database_url)
    monkeypatch.setenv("CREDIT_REPAIR_LOG_LEVEL", "WARNING")
    get_settings.cache_clear()
    yield lambda *args: runner.invoke(app, list(map(str, args)))
    get_settings.cache_clear()


@pytest.fixture
def letter(tmp_path):
    path = tmp_path / "承诺书.pdf"
    path.write_bytes(b"%PDF letter")
    return f"commitment_letter={path}"


def recent_record(engine, **columns) -> int:
    """A record decided five months ago: past its minimum period, not its maximum."""
    decided = (datetime.now(UTC) - timedelta(days=150)).date()
    return make_record(engine, decision_date=decided, published_on=decided, **columns)


def submitted(cli, penalty_id, *documents) -> int:
    options = [a for d in documents for a in ("--document", d)]
    result = cli("case", "submit", penalty_id, *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["id"]


class TestWalk:
    def test_a_general_record_from_letter_to_effective(self, cli, engine, letter):
        penalty_id = recent_record(engine)
        case_id = submitted(cli, penalty_id, letter)

        for step in (("review",), ("request_confirmation",)):
            assert cli("case", "event", case_id, *step).exit_code == 0
        code = department_code(engine, penalty_id)
        confirmed = cli(
            "case", "event", case_id, "confirm", "--role", "department",
            "--department", code, "--inputs", '{"fulfilled": true}',
        )  # fmt: skip

        assert confirmed.exit_code == 0, confirmed.output
        assert json.loads(confirmed.stdout)["state_label"] == "修复生效"
        history = cli("case", "history", case_id).stdout.splitlines()
        assert [line.split()[3] for line in history] == [
            "submit",
            "review",
            "request_confirmation",
            "confirm",
        ]
        diagram = cli("diagram", "commitment", "--case", case_id).stdout
        assert "effective:::current" in diagram

    def test_a_rejected_review_prints_every_unmet_condition(self, cli, engine):
        case_id = submitted(cli, recent_record(engine, penalty_class="specific_severe"))

        reviewed = cli("case", "event", case_id, "review")

        shown = json.loads(reviewed.stdout)
        assert shown["state"] == "rejected"
        assert [u["code"] for u in shown["outcome"]["unmet"]] == [
            "specific_severe",
            "commitment_letter_missing",
        ]
        assert "缺少信用修复承诺书" in reviewed.stdout


class TestRefusals:
    def test_inputs_that_are_json_but_no_object_are_refused_by_name(
        self, cli, engine, letter
    ):
        case_id = submitted(cli, recent_record(engine), letter)

        result = cli("case", "event", case_id, "withdraw", "--inputs", "[1]")

        assert result.exit_code == 2
        assert "--inputs" in result.output
        assert "JSON object" in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)

    def test_show_tells_the_events_to_send_from_those_the_service_sends(
        self, cli, engine, letter
    ):
        case_id = submitted(cli, recent_record(engine), letter)
        cli("case", "event", case_id, "review")

        shown = json.loads(cli("case", "show", case_id).stdout)

        assert shown["allowed_events"] == ["request_confirmation", "withdraw"]
        assert shown["service_events"] == ["escalate", "expire_proof", "submit_proof"]

    def test_an_unknown_event_lists_the_procedures_events(self, cli, engine, letter):
        case_id = submitted(cli, recent_record(engine), letter)

        result = cli("case", "event", case_id, "frobnicate")

        assert result.exit_code == 1
        assert "'frobnicate' is not an event of commitment cases" in result.output

    def test_submit_proof_is_named_as_attaching_a_document(self, cli, engine, letter):
        case_id = submitted(cli, recent_record(engine), letter)

        result = cli("case", "event", case_id, "submit_proof")

        assert result.exit_code == 1
        assert "attaching the training certificate" in result.output
        assert "service only" not in result.output

    def test_a_diagram_of_another_procedure_than_the_case_is_refused(
        self, cli, engine, tmp_path, letter
    ):
        penalty_id = recent_record(engine, published_where="national")
        applied = cli("instant", "apply", penalty_id, "--document", letter)
        case_id = json.loads(applied.stdout)["case_id"]

        result = cli("diagram", "commitment", "--case", case_id)

        assert result.exit_code == 2
        assert f"diagram instant --case {case_id}" in result.output
        assert ":::" not in result.stdout
        assert cli("diagram", "instant", "--case", case_id).exit_code == 0


class TestReplay:
    def test_an_unreadable_as_of_is_a_usage_error(self, cli):
        result = cli("audit", "replay", "--as-of", "yesterday")

        assert result.exit_code == 2
        assert "'yesterday' is not an ISO-8601 instant" in result.output

    def test_a_case_that_does_not_exist_is_named(self, cli):
        result = cli("audit", "replay", "--case", 12)

        assert result.exit_code == 1
        assert "case 12 does not exist" in result.output

    def test_any_procedure_s_case_is_replayed(self, cli, engine, letter):
        penalty_id = recent_record(engine, published_where="national")
        applied = cli("instant", "apply", penalty_id, "--document", letter)
        case_id = json.loads(applied.stdout)["case_id"]

        result = cli("audit", "replay", "--case", case_id)

        assert result.exit_code == 0, result.output
        assert f'"instant:{case_id}"' in result.stdout
        assert (
            "2 rows replayed in 1 stream (1 instant case): all match" in result.stdout
        )


class TestAuditCounts:
    def test_verify_and_replay_count_streams_by_kind(self, cli, engine, letter):
        case_id = submitted(cli, recent_record(engine), letter)
        cli("case", "event", case_id, "review")
        make_record(engine, decision_date=datetime(2024, 1, 2).date())  # expires
        assert cli("housekeeping").exit_code == 0

        verified = cli("audit", "verify")
        replayed = cli("audit", "replay")

        kinds = "(1 commitment case, 1 record)"
        assert f"3 rows in 2 streams {kinds}: chains intact" in verified.stdout
        assert f"3 rows replayed in 2 streams {kinds}: all match" in replayed.stdout


def test_kinds_are_named_in_a_fixed_order_singular_or_plural():
    counted = Counter({"batch_item": 3116, "batch": 1, "instant": 2, "record": 7})

    assert counted_by_kind(counted) == (
        "2 instant cases, 1 batch, 3116 batch items, 7 records"
    )
    assert counted_by_kind(Counter()) == "nothing"


def test_instants_print_as_the_api_writes_them(cli, engine, letter):
    case_id = submitted(cli, recent_record(engine), letter)

    shown = json.loads(cli("case", "show", case_id).stdout)

    assert shown["received_at"].endswith("Z")
    assert "+00:00" not in cli("case", "show", case_id).stdout
    assert datetime.fromisoformat(shown["received_at"]).tzinfo is not None
