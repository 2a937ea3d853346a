"""One crash-and-restart run: a real ``credit-repair serve`` driven over HTTP by
several clients, killed with SIGKILL at a chosen moment (at random, in the middle
of a deadline sweep, in the middle of an import upload) and started again on the
same database; every promise and invariant is checked after each kill."""

import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from sqlalchemy import func, select

from credit_repair.persistence.db import make_engine, reading
from credit_repair.persistence.tables import Deadline, ImportRun
from credit_repair.workflow.importing import CHUNK_ROWS
from tests.checks import assert_log_consistent
from tests.factories import make_department, make_record
from tests.hardening.backlog import (
    DEADLINES_PER_GROUP,
    backlog_problems,
    repairable_decision_date,
    seed_due_backlog,
)
from tests.hardening.drivers import CommitmentDriver, World, client_loop
from tests.hardening.invariants import deadline_problems, import_problems
from tests.hardening.ledger import Ledger, Request, send
from tests.hardening.penalty_csv import csv_bytes, valid_rows
from tests.hardening.promises import broken_promises
from tests.processes import Server, tokens_by_command

DEPARTMENT = "KMSJGJ"
CLIENTS = 4
IMPORT_ROWS = 8 * CHUNK_ROWS
SWEEP_GROUPS = 10
MODES = ("sweep", "import", "random")
DEADLINE, RUN = Deadline.__table__, ImportRun.__table__


@dataclass
class Tally:
    cycles: int = 0
    kills: int = 0
    mid_sweep: int = 0
    mid_import: int = 0
    backlog_deadlines: int = 0
    fired: int = 0
    in_flight: int = 0
    replayed: int = 0


class CrashRun:
    """A database, its callers' tokens, the clients' ledger and the server."""

    def __init__(self, url: str, rng: random.Random) -> None:
        self.url, self.rng = url, rng
        self.engine = make_engine(url)
        self.department_id = make_department(
            self.engine, DEPARTMENT, "昆明市市场监督管理局"
        )
        decided = repairable_decision_date()
        records = []
        for n in range(60):
            penalty_class = "severe" if n % 3 == 0 else "general"
            penalty_id = make_record(
                self.engine,
                penalty_class=penalty_class,
                decision_date=decided,
                department_id=self.department_id,
            )
            records.append((penalty_id, penalty_class))
        self.world = World(records, DEPARTMENT)
        self.driver = CommitmentDriver(decided)
        self.ledger = Ledger()
        self.tokens = tokens_by_command(
            url,
            {
                "office": ["--role", "office", "--name", "王芳"],
                "intake": ["--role", "intake", "--name", "portal"],
                "department": ["--role", "department", "--department", DEPARTMENT],
            },
        )
        self.tally = Tally()
        self.server: Server | None = None
        self.interrupted_import: bytes | None = None
        self.uploader: threading.Thread | None = None
        self.backlog: dict[str, list[int]] = {}

    def cycle(self, mode: str) -> None:
        """Serve, drive and kill in the way ``mode`` says, then check. A large
        backlog falls due while the server runs (``sweep``: killed while firing
        it), or a small one fell due while it was down (fired on start)."""
        if mode != "sweep":
            self._seed_backlog(1)
        self.server = Server(self.url, scheduler_sweep_seconds="1")
        self.server.wait_until_up()
        stop = threading.Event()
        if mode == "sweep":
            clients = self._clients(stop)
            self._seed_backlog(SWEEP_GROUPS)
            self._until_fired(
                self.rng.randint(1, SWEEP_GROUPS * DEADLINES_PER_GROUP // 2)
            )
        else:
            self._catch_up()
            clients = self._clients(stop)
            if mode == "import":
                self._until_mid_import()
            else:
                time.sleep(self.rng.uniform(0.3, 2.0))
        self.server.kill()
        stop.set()
        for client in clients:
            client.join(timeout=60)
        self.tally.kills += 1
        self.tally.cycles += 1
        self._count_interruptions(mode)
        self.check()

    def _seed_backlog(self, groups: int) -> None:
        made = seed_due_backlog(self.engine, self.department_id, groups)
        for kind, ids in made.items():
            self.backlog.setdefault(kind, []).extend(ids)
        self.tally.backlog_deadlines += groups * DEADLINES_PER_GROUP

    def finish(self) -> None:
        """Restart once more, let the clients finish, wait for two sweeps, check
        everything including the deadlines, and stop the server cleanly."""
        self.server = Server(self.url, scheduler_sweep_seconds="1")
        self.server.wait_until_up()
        self._catch_up()
        stop = threading.Event()
        clients = self._clients(stop)
        time.sleep(1.0)
        stop.set()
        for client in clients:
            client.join(timeout=60)
        swept_at = wait_for_sweeps(self.server.base, datetime.now(UTC))
        self.server.stop()
        self.check()
        problems, self.tally.fired = deadline_problems(self.engine, swept_at)
        problems += backlog_problems(self.engine, self.backlog)
        assert not problems, problems

    def check(self) -> None:
        """With the server down: promises kept, logs explain every state, imports
        whole, and no client ever saw a server error or a locked database."""
        problems = broken_promises(self.engine, self.ledger.acknowledged)
        problems += import_problems(self.engine, CHUNK_ROWS)
        assert not problems, problems
        assert_log_consistent(self.engine)
        failures = [(a.request.path, a.status, a.body) for a in self.ledger.failures()]
        assert not failures, failures
        assert not self.ledger.refusals_without_reason()
        assert set(self.ledger.statuses) <= {200, 201, 409}, self.ledger.statuses

    def close(self) -> None:
        if self.server is not None and self.server.popen.poll() is None:
            self.server.kill()
        self.engine.dispose()

    def _clients(self, stop: threading.Event) -> list[threading.Thread]:
        threads = [
            threading.Thread(
                target=client_loop,
                args=(
                    self.server.base,
                    self.tokens,
                    self.world,
                    self.ledger,
                    self.driver,
                    random.Random(self.rng.random()),
                    stop,
                ),
            )
            for _ in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        return threads

    def _catch_up(self) -> None:
        """Retry every request left without an answer, with its own key, and upload
        an interrupted file again: what it kept is unchanged, the rest imported."""
        with httpx.Client(base_url=self.server.base, timeout=60) as client:
            for request in self.ledger.take_unknown():
                answer = send(client, self.tokens, request)
                self.ledger.add(request, answer)
                self.tally.in_flight += 1
                if answer is not None:
                    self.tally.replayed += answer.replayed
                    self.driver.absorb(self.world, answer)
            if self.interrupted_import is not None:
                answer = self._upload(client, self.interrupted_import)
                assert answer is not None and answer.status == 200, answer
                body = answer.body
                assert body["imported"] + body["unchanged"] == IMPORT_ROWS, body
                assert body["rejected"] == 0, body
                self.interrupted_import = None

    def _upload(self, client: httpx.Client, content: bytes):
        request = Request(
            "import",
            "intake",
            "POST",
            "/api/v1/penalties/import",
            files={"file": ("penalties.csv", content, "text/csv")},
        )
        answer = send(client, self.tokens, request)
        self.ledger.add(request, answer)
        return answer

    def _until_fired(self, count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.server.events("deadline_fired")) < count:
            assert time.monotonic() < deadline, "the backlog did not fire"
            time.sleep(0.002)

    def _until_mid_import(self, timeout: float = 60) -> None:
        tag = f"c{self.tally.cycles}r{self.rng.randrange(10**6)}"
        content = csv_bytes(valid_rows(tag, IMPORT_ROWS, repairable_decision_date()))
        self.interrupted_import = content
        with self.engine.connect() as conn:
            before = conn.execute(select(func.max(RUN.c.id))).scalar() or 0

        def upload() -> None:
            with httpx.Client(base_url=self.server.base, timeout=60) as client:
                self._upload(client, content)

        wanted = self.rng.randint(1, 3) * CHUNK_ROWS

        self.uploader = threading.Thread(target=upload)
        self.uploader.start()
        deadline = time.monotonic() + timeout
        while self.uploader.is_alive() and time.monotonic() < deadline:
            with reading(self.engine) as conn:
                committed = conn.execute(
                    select(RUN.c.rows_committed).where(RUN.c.id > before)
                ).scalar()
            if committed and committed >= wanted:
                break
            time.sleep(0.005)

    def _count_interruptions(self, mode: str) -> None:
        with self.engine.connect() as conn:
            overdue = conn.execute(
                select(func.count()).where(
                    DEADLINE.c.status == "pending",
                    DEADLINE.c.due_at <= datetime.now(UTC),
                )
            ).scalar()
            run = conn.execute(select(RUN).order_by(RUN.c.id.desc()).limit(1)).first()
        if mode == "sweep" and overdue:
            self.tally.mid_sweep += 1
        if mode == "import":
            self.uploader.join(timeout=60)
            if run is not None and run.status == "running":
                self.tally.mid_import += 1
            else:
                self.interrupted_import = None


def wait_for_sweeps(base: str, after: datetime, timeout: float = 30) -> datetime:
    """The start of the first sweep after ``after``, once a second one has begun
    (so the first has ended)."""
    starts: set[datetime] = set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        detail = httpx.get(f"{base}/readyz").json()["checks"]["scheduler"]["detail"]
        if detail.startswith("leading; last sweep "):
            started = datetime.fromisoformat(
                detail.removeprefix("leading; last sweep ")
            )
            if started > after:
                starts.add(started)
        if len(starts) >= 2:
            return min(starts)
        time.sleep(0.1)
    raise AssertionError(f"no two sweeps after {after}; last: {detail}")
