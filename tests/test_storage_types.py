"""Instants are stored as aware UTC on every database, whatever the server's zone."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from credit_repair.persistence.tables import CalendarDay

SHANGHAI = timezone(timedelta(hours=8))
pytestmark = pytest.mark.storage


class TestUTCDateTime:
    def test_an_aware_instant_comes_back_as_the_same_instant_in_utc(self, engine):
        local = datetime(2026, 10, 8, 23, 59, 59, 999000, tzinfo=SHANGHAI)
        with Session(engine) as session:
            session.add(
                CalendarDay(
                    day=local.date(), is_working=True, source="t", loaded_at=local
                )
            )
            session.commit()
        with Session(engine) as session:
            row = session.exec(select(CalendarDay)).one()
        assert row.loaded_at == local
        assert row.loaded_at.tzinfo == UTC
        assert row.loaded_at.hour == 15

    def test_a_naive_instant_is_refused(self, engine):
        with Session(engine) as session:
            session.add(
                CalendarDay(
                    day=datetime(2026, 1, 1).date(),
                    is_working=False,
                    source="t",
                    loaded_at=datetime(2026, 1, 1, 8),
                )
            )
            with pytest.raises(Exception, match="naive datetime"):
                session.commit()


class TestSQLiteTransactions:
    def test_a_reader_does_not_wait_for_a_writer(self, tmp_path):
        from sqlalchemy import text

        from credit_repair.persistence.db import make_engine, reading

        engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
        with engine.begin() as writer:
            writer.execute(text("CREATE TABLE t (x INTEGER)"))
        with engine.begin() as writer:
            writer.execute(text("INSERT INTO t VALUES (1)"))
            with reading(engine) as conn:
                assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 0
        engine.dispose()
