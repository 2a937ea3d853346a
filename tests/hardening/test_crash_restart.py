"""Crash and restart: a real server on SQLite and on PostgreSQL, driven by several
HTTP clients, is killed with SIGKILL at random moments, in the middle of a
deadline sweep and in the middle of an import upload, and started again. After
every kill each acknowledged action is in the database, every case's state is
what its log replays to, the audit chains verify, and imports kept whole chunks;
at the end every deadline that fell due fired exactly once.

``HARDEN_CRASH_CYCLES`` (default 3, one per way of killing) and
``HARDEN_SEED`` make longer or different runs."""

import os
import random

import pytest

from tests.hardening.crash import MODES, CrashRun
from tests.hardening.databases import fresh_database

pytestmark = pytest.mark.slow
CYCLES = int(os.environ.get("HARDEN_CRASH_CYCLES", "3"))
SEED = int(os.environ.get("HARDEN_SEED", "20261203"))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_acknowledged_work_survives_sigkill_and_deadlines_fire_once(backend, tmp_path):
    rng = random.Random(f"{SEED}-{backend}")
    with fresh_database(backend, tmp_path) as url:
        run = CrashRun(url, rng)
        try:
            for cycle in range(CYCLES):
                run.cycle(MODES[cycle] if cycle < len(MODES) else rng.choice(MODES))
            run.finish()
        finally:
            run.close()

    tally, ledger = run.tally, run.ledger
    acknowledged = {a.request.key for a in ledger.acknowledged}
    print(
        f"\ncrash-restart [{backend}] seed {SEED}: {tally.cycles} cycles, "
        f"{tally.kills} SIGKILLs ({tally.mid_sweep} mid-sweep, "
        f"{tally.mid_import} mid-import), {len(acknowledged)} actions acknowledged, "
        f"{tally.in_flight} in flight at a kill and retried with their key "
        f"({tally.replayed} replayed), answers {dict(ledger.statuses)}, "
        f"{tally.fired} deadlines fired ({tally.backlog_deadlines} fell due in "
        "the backlog)"
    )
    assert tally.kills == CYCLES
    assert len(acknowledged) > 50
    assert tally.fired >= tally.backlog_deadlines * 4 // 5
    if len(MODES) <= CYCLES:
        assert tally.mid_sweep >= 1 and tally.mid_import >= 1
