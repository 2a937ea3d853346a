"""Fixtures shared by every test: databases on SQLite and PostgreSQL, a fake clock."""

import os
import shutil
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import credit_repair.persistence.tables  # noqa: F401
from credit_repair.persistence.db import make_engine
from credit_repair.persistence.migrate import upgrade

POSTGRES_URL = os.environ.get(
    "CREDIT_REPAIR_TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = bool(os.environ.get("CI") or os.environ.get("REQUIRE_POSTGRES"))
BACKENDS = ["sqlite", "postgresql"]


class FakeClock:
    """A clock the test moves by hand; it never reads the machine's time."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def set(self, instant: datetime) -> None:
        self.current = instant

    def advance(self, **delta) -> datetime:
        from datetime import timedelta

        self.current += timedelta(**delta)
        return self.current


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return str(path)


@pytest.fixture(scope="session")
def postgres_database():
    """A throw-away PostgreSQL database for this test session, migrated once."""
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"credit_repair_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required in CI but unavailable: {exc}")
        pytest.skip(f"PostgreSQL unavailable at {POSTGRES_URL}: {exc}")
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_postgres(engine) -> None:
    names = ", ".join(
        f'"{t.name}"'
        for t in SQLModel.metadata.sorted_tables
        if t.name != "alembic_version"
    )
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def database_url(request, tmp_path, sqlite_template) -> str:
    """A migrated, empty database; parametrize ``backend`` to choose which."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        path = tmp_path / "case.db"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_database")
    engine = make_engine(url)
    _truncate_postgres(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def pytest_generate_tests(metafunc):
    """Tests marked ``storage`` run once per backend."""
    if (
        "database_url" in metafunc.fixturenames
        and metafunc.definition.get_closest_marker("storage")
    ):
        metafunc.parametrize("database_url", BACKENDS, indirect=True)


@pytest.fixture
def wf(engine, clock):
    """The service layer on the test database, with the fake clock and real calendar."""
    from credit_repair.persistence.unit_of_work import SqlUnitOfWork
    from credit_repair.workflow.calendar import WorkingCalendar
    from credit_repair.workflow.context import Workflow
    from credit_repair.workflow.regimes import load_regime

    return Workflow(
        unit_of_work=lambda: SqlUnitOfWork(engine, clock),
        clock=clock,
        calendar=WorkingCalendar(),
        regime=load_regime("kunming-2020"),
    )
