"""The ``instant``, ``housekeeping`` and ``notifications`` commands, run as a user
would run them, on a SQLite file."""

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from tests.checks import assert_log_consistent, feed, is_published
from tests.factories import make_record

ROOT = Path(__file__).resolve().parent.parent


def run(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "CREDIT_REPAIR_DATABASE_URL": database_url,
        "CREDIT_REPAIR_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "credit_repair", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def test_housekeeping_dry_run_prints_and_writes_nothing(engine, database_url):
    penalty_id = make_record(engine, decision_date=date(2025, 6, 1))

    done = run(database_url, "housekeeping", "--dry-run", "--as-of", "2030-01-01")

    assert done.returncode == 0, done.stderr
    assert "would take 1 record(s) offline" in done.stdout
    assert f"record {penalty_id} general: 12 months" in done.stdout
    assert is_published(engine, penalty_id)
    assert feed(engine, penalty_id) == []


def test_an_application_is_forwarded_then_answered(engine, database_url, tmp_path):
    decided = date.today() - timedelta(days=200)
    penalty_id = make_record(engine, decision_date=decided, published_where="national")
    letter = tmp_path / "承诺书.pdf"
    letter.write_bytes(b"%PDF letter")

    applied = run(
        database_url,
        "instant",
        "apply",
        str(penalty_id),
        "--document",
        f"commitment_letter={letter}",
    )
    assert applied.returncode == 0, applied.stderr
    case_id = json.loads(applied.stdout)["case_id"]
    assert json.loads(applied.stdout)["state"] == "forwarded"

    refused = run(database_url, "instant", "answer", str(case_id), "refused")
    assert refused.returncode == 1
    assert "reason: required" in refused.stderr

    repaired = run(database_url, "instant", "answer", str(case_id), "repaired")
    assert json.loads(repaired.stdout)["state"] == "repaired"
    assert not is_published(engine, penalty_id)

    listed = run(database_url, "notifications", "--recipient", "upper_level")
    assert "upper_level_review" in listed.stdout
    assert_log_consistent(engine)
