"""Model-based testing of commitment repair: Hypothesis drives random sequences of
submissions, reviews, requests, confirmations (fulfilled or not, severe or
general, by the right or a wrong department), documents, withdrawals, stale
versions and deadline firings after moving a fake clock through the use cases on
a fresh database, and after every step compares the service with the reference
model of DESIGN.md §3.1 in ``tests/hardening/reference.py``: each case's state,
version and pending deadlines, each record's published flag, the bar list, and
an audit log that verifies and replays.

SQLite always; PostgreSQL too when ``CI`` is set. ``HARDEN_MODEL_EXAMPLES``
(default 25) sets the number of examples."""

import os
import shutil
import uuid

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from credit_repair.persistence.db import make_engine
from tests.conftest import _truncate_postgres
from tests.hardening.comparison import SEEN, CommitmentComparison

EXAMPLES = int(os.environ.get("HARDEN_MODEL_EXAMPLES", "25"))
BACKENDS = ["sqlite", "postgresql"] if os.environ.get("CI") else ["sqlite"]


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_commitment_repair_behaves_like_its_reference_model(
    backend, request, tmp_path, sqlite_template
):
    if backend == "sqlite":

        def fresh_url() -> str:
            path = tmp_path / f"{uuid.uuid4().hex}.db"
            shutil.copyfile(sqlite_template, path)
            return f"sqlite:///{path}"

    else:
        url = request.getfixturevalue("postgres_database")

        def fresh_url() -> str:
            engine = make_engine(url)
            _truncate_postgres(engine)
            engine.dispose()
            return url

    SEEN.clear()
    CommitmentComparison.fresh_url = staticmethod(fresh_url)
    run_state_machine_as_test(
        CommitmentComparison,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=50,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    print(f"\nmodel-based [{backend}]: {dict(sorted(SEEN.items()))}")
