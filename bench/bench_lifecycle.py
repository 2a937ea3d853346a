"""Full commitment lifecycles per second (submit → review → request confirmation →
confirm → effective, four transactions with audit, feed, deadlines and notices),
beside a bare DBAPI baseline doing the same reads and writes in the same
transactions; then audit verify and replay speed.

    python -m bench.bench_lifecycle [--cases N] [--postgres URL]
"""

import argparse
import hashlib
import json
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime

from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from credit_repair.persistence import audit_trail
from credit_repair.persistence.db import make_engine
from credit_repair.persistence.migrate import upgrade
from credit_repair.persistence.tables import Company, Department, PenaltyRecord
from credit_repair.persistence.unit_of_work import SqlUnitOfWork
from credit_repair.workflow import commitment
from credit_repair.workflow.calendar import WorkingCalendar
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.model import Actor
from credit_repair.workflow.regimes import load_regime

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
OFFICE = Actor("bench", "office")
LETTER = ("commitment_letter", "letter.pdf", b"%PDF-1.4 letter")


class FixedClock:
    def now(self) -> datetime:
        return NOW


@contextmanager
def fresh_database(postgres: str | None, tmp: str):
    """A migrated, empty database: a SQLite file, or a new PostgreSQL database."""
    if postgres is None:
        url = f"sqlite:///{tmp}/{uuid.uuid4().hex}.db"
        engine = make_engine(url)
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    admin = make_engine(postgres, isolation_level="AUTOCOMMIT")
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(postgres).set(database=name).render_as_string(False))
    upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def seed_records(engine, count: int) -> list[int]:
    """``count`` published general records of one department, one company each."""
    with engine.begin() as conn:
        conn.execute(insert(Department.__table__).values(id=1, code="D1", name="局"))
        conn.execute(
            insert(Company.__table__),
            [
                {"id": n, "name": f"公司{n}", "identity_key": f"c{n}", "kind": "法人",
                 "created_at": NOW}
                for n in range(1, count + 1)
            ],
        )  # fmt: skip
        conn.execute(
            insert(PenaltyRecord.__table__),
            [
                {"id": n, "identity_key": f"r{n}", "identity_derived": False,
                 "company_id": n, "department_id": 1, "penalty_kinds": ["罚款"],
                 "penalty_class": "general", "class_reason": "bench",
                 "decision_date": date(2025, 6, 1), "published_where": "city",
                 "is_published": True, "content_hash": "0" * 64, "version": 0,
                 "created_at": NOW, "updated_at": NOW}
                for n in range(1, count + 1)
            ],
        )  # fmt: skip
    return list(range(1, count + 1))


def ours(engine, records: list[int]) -> float:
    """Lifecycles per second through the use cases."""
    clock = FixedClock()
    wf = Workflow(
        lambda: SqlUnitOfWork(engine, clock),
        clock,
        WorkingCalendar(),
        load_regime("kunming-2020"),
    )
    department = Actor("bench", "department", "D1")
    started = time.perf_counter()
    for penalty_id in records:
        case = commitment.submit(wf, penalty_id, "website", OFFICE, documents=[LETTER])
        commitment.fire_event(wf, case.id, "review", OFFICE)
        commitment.fire_event(wf, case.id, "request_confirmation", OFFICE)
        commitment.fire_event(wf, case.id, "confirm", department, {"fulfilled": True})
    return len(records) / (time.perf_counter() - started)


_CASE_COLUMNS = (
    "procedure, state, is_open, penalty_id, company_id, department_id, regime, "
    "regime_version, channel, received_at, penalty_class, outcome, version, "
    "created_at, updated_at"
)
_RECORD = (
    "SELECT r.id, r.company_id, c.name, r.department_id, d.code, d.name, "
    "r.penalty_class, r.decision_date, r.published_on, r.is_published, "
    "r.published_where FROM penalty_record r JOIN company c ON c.id = r.company_id "
    "JOIN department d ON d.id = r.department_id WHERE r.id = ?"
)

_DEPARTMENT_CODE = (
    "SELECT d.code FROM penalty_record r JOIN department d "
    "ON d.id = r.department_id WHERE r.id = ?"
)
_CASE_WITH_HEAD = (
    "SELECT *, (SELECT hash FROM audit_entry a WHERE a.stream = "
    "c.procedure || ':' || CAST(c.id AS VARCHAR) AND a.stream_seq = c.version) "
    "FROM repair_case c WHERE c.id = ?"
)


class Bare:
    """The same statements as one lifecycle, straight through the DBAPI driver."""

    def __init__(self, engine) -> None:
        self.sqlite = engine.dialect.name == "sqlite"
        self.raw = engine.raw_connection()
        self.cursor = self.raw.cursor()

    def sql(self, statement: str, *params):
        if not self.sqlite:
            statement = statement.replace("?", "%s")
        self.cursor.execute(statement, params)
        return self.cursor

    def json(self, value):
        if self.sqlite:
            return json.dumps(value)
        from psycopg.types.json import Json

        return Json(value)

    def begin(self) -> None:
        if self.sqlite:
            self.cursor.execute("BEGIN IMMEDIATE")

    def audit(self, stream: str, event: str, source, target, head) -> None:
        """Append after ``head`` (stream_seq, hash), read with the case row."""
        seq, prev = head[0] + 1, head[1]
        body = json.dumps([stream, seq, event, source, target], sort_keys=True)
        digest = hashlib.sha256((prev + body).encode()).hexdigest()
        self.sql(
            "INSERT INTO audit_entry (stream, stream_seq, machine, event, source, "
            "target, actor, actor_role, occurred_at, payload, regime, regime_version, "
            "prev_hash, hash) VALUES (?, ?, 'commitment', ?, ?, ?, 'bench', 'office', "
            "?, ?, 'kunming-2020', '1', ?, ?)",
            stream, seq, event, source, target, NOW, self.json({"guards": {}}), prev,
            digest,
        )  # fmt: skip

    def move(self, case_id: int, version: int, state: str) -> None:
        self.sql(
            "UPDATE repair_case SET state = ?, version = ?, updated_at = ? "
            "WHERE id = ? AND version = ?",
            state, version + 1, NOW, case_id, version,
        )  # fmt: skip

    def deadline(self, case_id: int, kind: str) -> None:
        self.sql(
            "INSERT INTO deadline (machine, subject_id, kind, due_at, rule, inputs, "
            "calendar_version, provisional, explanation, status, created_at) "
            "VALUES ('commitment', ?, ?, ?, 'working_days', ?, 'v', ?, 'e', "
            "'pending', ?)",
            case_id, kind, NOW, self.json({}), False, NOW,
        )  # fmt: skip

    def settle(self, case_id: int, status: str) -> None:
        self.sql(
            "UPDATE deadline SET status = ? WHERE machine = 'commitment' "
            "AND subject_id = ? AND status = 'pending'",
            status, case_id,
        )  # fmt: skip

    def settle_answered(self, case_id: int) -> None:
        """At confirmation: the answer's clocks met, the training clock
        cancelled, every other one met, in one statement."""
        self.sql(
            "UPDATE deadline SET status = CASE WHEN kind = ? THEN ? WHEN kind = ? "
            "THEN ? WHEN kind = ? THEN ? ELSE ? END WHERE machine = 'commitment' "
            "AND subject_id = ? AND status = 'pending'",
            "department_answer", "met", "department_reminder", "met",
            "training_proof", "cancelled", "met", case_id,
        )  # fmt: skip

    def notify(self, text_: str) -> None:
        self.sql(
            "INSERT INTO notification (recipient, kind, text, status, created_at, "
            "payload) VALUES ('company:1', 'notice', ?, 'pending', ?, ?)",
            text_, NOW, self.json({}),
        )  # fmt: skip

    def lifecycle(self, penalty_id: int) -> None:
        self.begin()
        self.sql(_RECORD, penalty_id).fetchone()
        case_id = self.sql(
            f"INSERT INTO repair_case ({_CASE_COLUMNS}) VALUES ('commitment', "
            "'submitted', ?, ?, ?, 1, 'kunming-2020', '1', 'website', ?, 'general', "
            "?, 1, ?, ?) ON CONFLICT (penalty_id) WHERE is_open DO NOTHING "
            "RETURNING id",
            True, penalty_id, penalty_id, NOW, self.json({}), NOW, NOW,
        ).fetchone()[0]  # fmt: skip
        self.sql(
            "INSERT INTO case_document (case_id, kind, name, size, sha256, "
            "received_at, content) "
            "VALUES (?, 'commitment_letter', 'l.pdf', 3, ?, ?, ?)",
            case_id, "0" * 64, NOW, b"pdf",
        )  # fmt: skip
        stream = f"commitment:{case_id}"
        self.audit(stream, "submit", None, "submitted", (0, "0" * 64))
        self.raw.commit()

        steps = [
            ("review", "submitted", "taken_down"),
            ("request_confirmation", "taken_down", "awaiting_confirmation"),
            ("confirm", "awaiting_confirmation", "effective"),
        ]
        for version, (event, source, target) in enumerate(steps, start=1):
            self.begin()
            case = self.sql(_CASE_WITH_HEAD, case_id).fetchone()
            if event == "review":
                self.sql(_RECORD, penalty_id).fetchone()
            else:
                self.sql(_DEPARTMENT_CODE, penalty_id).fetchone()
            if event == "review":
                self.sql("SELECT kind FROM case_document WHERE case_id = ?", case_id)
                self.sql("SELECT reason FROM bar WHERE company_id = ?", penalty_id)
                self.sql(
                    "UPDATE penalty_record SET is_published = ?, updated_at = ? "
                    "WHERE id = ?",
                    False, NOW, penalty_id,
                )  # fmt: skip
                self.sql(
                    "INSERT INTO publication_change (penalty_id, action, published, "
                    "reason, stream, occurred_at) "
                    "VALUES (?, 'taken_down', ?, 'r', ?, ?)",
                    penalty_id, False, stream, NOW,
                )  # fmt: skip
                self.deadline(case_id, "request_confirmation")
            elif event == "request_confirmation":
                self.settle(case_id, "met")
                self.deadline(case_id, "department_answer")
            else:
                self.sql("SELECT kind FROM case_document WHERE case_id = ?", case_id)
                self.settle_answered(case_id)
            self.notify(event)
            self.move(case_id, version, target)
            self.audit(stream, event, source, target, (version, case[-1]))
            self.raw.commit()

    def close(self) -> None:
        self.raw.close()


def baseline(engine, records: list[int]) -> float:
    """Lifecycles per second with bare statements."""
    bare = Bare(engine)
    started = time.perf_counter()
    for penalty_id in records:
        bare.lifecycle(penalty_id)
    elapsed = time.perf_counter() - started
    bare.close()
    return len(records) / elapsed


def audit_speed(engine) -> tuple[float, float, int]:
    """Audit rows verified per second and replayed per second, and the row count."""
    started = time.perf_counter()
    verified = audit_trail.verify(engine)
    verify_s = time.perf_counter() - started
    started = time.perf_counter()
    replayed = audit_trail.replay_all(engine)
    replay_s = time.perf_counter() - started
    assert verified.ok and replayed.ok, (
        verified.problems[:3],
        replayed.differences[:3],
    )
    return verified.rows / verify_s, replayed.transitions / replay_s, verified.rows


def run(cases: int = 1000, postgres: str | None = None) -> list[dict]:
    """Ours and the baseline side by side on fresh SQLite databases, and on
    PostgreSQL too when its URL is given."""
    rows = []
    for database in (None, postgres) if postgres else (None,):
        rows += _measure(cases, database)
    return rows


def _measure(cases: int, postgres: str | None) -> list[dict]:
    import tempfile

    rows = []
    backend = "postgresql" if postgres else "sqlite"
    with tempfile.TemporaryDirectory() as tmp:
        with fresh_database(postgres, tmp) as engine:
            ours_rate = ours(engine, seed_records(engine, cases))
            verify_rate, replay_rate, audit_rows = audit_speed(engine)
        with fresh_database(postgres, tmp) as engine:
            bare_rate = baseline(engine, seed_records(engine, cases))
    rows.append(
        {
            "name": f"commitment lifecycle ({backend}, {cases} cases)",
            "ours_per_s": ours_rate,
            "baseline_per_s": bare_rate,
            "ratio": ours_rate / bare_rate,
        }
    )
    for name, rate in (("audit verify", verify_rate), ("audit replay", replay_rate)):
        rows.append(
            {
                "name": f"{name} ({backend}, {audit_rows} rows), rows/s",
                "ours_per_s": rate,
                "baseline_per_s": None,
                "ratio": None,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL URL")
    args = parser.parse_args()
    results = run(args.cases, args.postgres)
    for row in results:
        ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else "-"
        base = f"{row['baseline_per_s']:,.0f}" if row["baseline_per_s"] else "-"
        print(f"{row['name']:<52} ours {row['ours_per_s']:>9,.0f}/s  "
              f"bare {base:>7}/s  ratio {ratio}")  # fmt: skip


if __name__ == "__main__":
    main()
