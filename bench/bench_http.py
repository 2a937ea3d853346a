"""HTTP throughput and latency (p50, p99) of reading a case and of firing an event,
with 1 and 16 concurrent clients against a real ``credit-repair serve`` process,
beside the same use case called in-process; the ratio HTTP / in-process is what
the HTTP layer costs. SQLite always; PostgreSQL with ``--postgres URL`` (a
throw-away database is made on that server and dropped afterwards).
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

from credit_repair.bootstrap import SystemClock, build_workflow
from credit_repair.persistence.db import make_engine, reading
from credit_repair.persistence.migrate import upgrade
from credit_repair.persistence.penalty_entry import add_penalty
from credit_repair.persistence.tokens import create_token
from credit_repair.persistence.views import case_view
from credit_repair.settings import Settings
from credit_repair.workflow import commitment
from credit_repair.workflow.model import Actor
from credit_repair.workflow.penalty_entry import NewPenalty

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = (1, 16)
OFFICE = Actor("bench", "office")
LETTER = ("commitment_letter", "letter.pdf", b"%PDF bench letter")
SERVE = (sys.executable, "-m", "credit_repair", "serve", "--no-scheduler")


def _cases(wf, engine, count: int) -> list[int]:
    """Submitted cases with a commitment letter, on records that may be repaired."""
    now = wf.clock.now()
    decided = (now - timedelta(days=200)).date()
    ids = []
    for _ in range(count):
        entry = NewPenalty(
            party_name=f"bench company {uuid.uuid4().hex[:12]}",
            department_code="BENCH",
            department_name="bench department",
            penalty_kinds=("罚款",),
            decision_number=uuid.uuid4().hex,
            decision_date=decided,
        )
        penalty_id = add_penalty(engine, entry, "general", "bench", now)
        case = commitment.submit(wf, penalty_id, "email", OFFICE, None, [LETTER])
        ids.append(case.id)
    return ids


def _measure(clients: int, work: list, act: Callable[[object], None], seconds: float):
    """Run ``act`` over ``work`` from ``clients`` threads until done or time is up;
    returns (operations per second, latencies in ms)."""
    queue, lock, latencies = list(reversed(work)), threading.Lock(), []
    stop_at = time.perf_counter() + seconds

    def client() -> None:
        while time.perf_counter() < stop_at:
            with lock:
                if not queue:
                    return
                item = queue.pop()
            started = time.perf_counter()
            act(item)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - began), latencies


def _quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


class _Server:
    """``credit-repair serve --no-scheduler`` on a free loopback port."""

    def __init__(self, database_url: str) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        env = os.environ | {
            "CREDIT_REPAIR_DATABASE_URL": database_url,
            "CREDIT_REPAIR_LOG_FORMAT": "json",
            "PYTHONPATH": str(ROOT),
        }
        self.process = subprocess.Popen(
            [*SERVE, "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(150):
            try:
                if httpx.get(f"{self.base}/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def _bench_database(label: str, url: str, seconds: float, events: int) -> list[dict]:
    engine = make_engine(url)
    upgrade(engine)
    settings = Settings(database_url=url)
    wf = build_workflow(engine, settings, SystemClock())
    _token, secret = create_token(engine, "office", wf.clock.now(), name="bench")
    readable = _cases(wf, engine, 50)
    pools = {
        n: (_cases(wf, engine, events), _cases(wf, engine, events)) for n in CLIENTS
    }
    server = _Server(url)
    local = threading.local()

    def http() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = httpx.Client(
                base_url=server.base, headers={"Authorization": f"Bearer {secret}"}
            )
        return local.client

    def read_http(i: int) -> None:
        http().get(f"/api/v1/cases/{readable[i % 50]}").raise_for_status()

    def read_local(i: int) -> None:
        with reading(engine) as conn:
            case_view(conn, readable[i % 50])

    def fire_http(case_id: int) -> None:
        http().post(f"/api/v1/cases/{case_id}/events/review").raise_for_status()

    def fire_local(case_id: int) -> None:
        commitment.fire_event(wf, case_id, "review", OFFICE)

    rows = []
    try:
        for clients in CLIENTS:
            reads = list(range(100_000))
            for name, ours, base, work in (
                ("read case", read_http, read_local, (reads, reads)),
                ("fire event", fire_http, fire_local, pools[clients]),
            ):
                ours_rate, ours_ms = _measure(clients, work[0], ours, seconds)
                base_rate, base_ms = _measure(clients, work[1], base, seconds)
                rows.append(
                    {
                        "name": f"{name}, {clients} client{'s' * (clients > 1)}",
                        "database": label,
                        "clients": clients,
                        "ours_per_s": round(ours_rate, 1),
                        "baseline_per_s": round(base_rate, 1),
                        "ratio": round(ours_rate / base_rate, 2),
                        "ours_p50_ms": round(_quantile(ours_ms, 0.5), 2),
                        "ours_p99_ms": round(_quantile(ours_ms, 0.99), 2),
                        "baseline_p50_ms": round(_quantile(base_ms, 0.5), 2),
                        "baseline_p99_ms": round(_quantile(base_ms, 0.99), 2),
                    }
                )
    finally:
        server.stop()
        engine.dispose()
    return rows


def run(
    postgres: str | None = None, seconds: float = 3.0, events: int = 250
) -> list[dict]:
    """One row per operation, client count and database: HTTP throughput and
    latency (``ours``), in-process (``baseline``), and their ratio."""
    with TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        rows = _bench_database("sqlite", url, seconds, events)
    if postgres:
        with _throwaway_postgres(postgres) as url:
            rows += _bench_database("postgresql", url, seconds, events)
    return rows


class _throwaway_postgres:
    """A fresh database on the server of ``url``, dropped on exit."""

    def __init__(self, url: str) -> None:
        self.admin = make_engine(url, isolation_level="AUTOCOMMIT")
        self.name = f"credit_repair_bench_{uuid.uuid4().hex[:8]}"
        self.url = make_url(url).set(database=self.name).render_as_string(False)

    def __enter__(self) -> str:
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self.url

    def __exit__(self, *exc) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def table(rows: list[dict]) -> str:
    """The rows as a fixed-width table."""
    head = (
        f"{'operation':<24}{'db':<12}{'HTTP/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'in-proc/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['name']:<24}{r['database']:<12}{r['ours_per_s']:>9}"
            f"{r['ours_p50_ms']:>9}{r['ours_p99_ms']:>9}{r['baseline_per_s']:>11}"
            f"{r['baseline_p50_ms']:>9}{r['baseline_p99_ms']:>9}{r['ratio']:>8}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="also run on PostgreSQL")
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement")
    parser.add_argument("--events", type=int, default=250, help="cases per event run")
    args = parser.parse_args()
    print(table(run(args.postgres, args.seconds, args.events)))


if __name__ == "__main__":
    main()
