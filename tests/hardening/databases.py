"""Fresh, migrated databases for the hardening tests: a file for SQLite, a new
database on the test PostgreSQL server (dropped afterwards), so that a server
process can be pointed at it."""

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from credit_repair.persistence.db import make_engine
from credit_repair.persistence.migrate import upgrade
from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES


@contextlib.contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of a new, migrated database on ``backend``."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'hardening.db'}"
        _migrate(url)
        yield url
        return

    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"credit_repair_hard_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required in CI but unavailable: {exc}")
        pytest.skip(f"PostgreSQL unavailable at {POSTGRES_URL}: {exc}")
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(False)
    try:
        _migrate(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _migrate(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
