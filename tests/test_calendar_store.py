"""Official year tables in the database, the combined calendar, and the
eligibility facts of stored records, on every configured database."""

from datetime import UTC, date, datetime

import pytest
from record_factories import add_case, add_record
from sqlmodel import Session, select

from credit_repair.persistence.calendar_store import (
    load_calendar,
    official_days,
    store_year_tables,
)
from credit_repair.persistence.record_facts import load_record_facts
from credit_repair.persistence.tables import Bar, CalendarDay
from credit_repair.settings import Settings
from credit_repair.workflow.calendar_file import parse_calendar_table
from credit_repair.workflow.errors import NotFound

pytestmark = pytest.mark.storage

LOADED_AT = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
TABLE_2027 = """
source = "国务院办公厅关于2027年部分节假日安排的通知 (invented for tests)"

[[year]]
year = 2027
holidays = [{ name = "New Year's Day", first = 2027-01-01, last = 2027-01-03 }]
workdays = [{ name = "New Year's Day", days = [2027-01-09] }]
"""


def table(text: str = TABLE_2027):
    return parse_calendar_table(text, label="official tables")


class TestStoreYearTables:
    def test_a_new_year_is_added_and_known_afterwards(self, engine, tmp_path):
        (result,) = store_year_tables(engine, table(), LOADED_AT)
        assert (result.year, result.outcome) == (2027, "added")
        assert (result.holidays, result.exchanged_workdays) == (3, 1)

        calendar = load_calendar(engine, Settings(calendar_overrides=None))
        assert not calendar.is_provisional(date(2027, 1, 4))
        assert not calendar.is_working_day(date(2027, 1, 1))
        assert calendar.is_working_day(date(2027, 1, 9))
        assert "official tables sha256:" in calendar.version

    def test_loading_the_same_table_again_changes_nothing(self, engine):
        store_year_tables(engine, table(), LOADED_AT)
        later = datetime(2026, 12, 1, tzinfo=UTC)
        (result,) = store_year_tables(engine, table(), later)
        assert result.outcome == "unchanged"
        with Session(engine) as session:
            rows = session.exec(select(CalendarDay)).all()
        assert len(rows) == 4
        assert {row.loaded_at for row in rows} == {LOADED_AT}

    def test_a_corrected_table_replaces_the_year(self, engine):
        store_year_tables(engine, table(), LOADED_AT)
        corrected = TABLE_2027.replace("last = 2027-01-03", "last = 2027-01-02")
        (result,) = store_year_tables(engine, table(corrected), LOADED_AT)
        assert result.outcome == "replaced"
        assert [d.day for d in official_days(engine)] == [
            date(2027, 1, 1),
            date(2027, 1, 2),
            date(2027, 1, 9),
        ]

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            ("[[day]]\nday = 2027-05-06\nworking = false", "no whole year"),
            (TABLE_2027 + "[[day]]\nday = 2028-05-06\nworking = false", "correction"),
            ("[[year]]\nyear = 2027", "lists no days"),
        ],
        ids=["corrections only", "a stray correction", "an empty year"],
    )
    def test_only_whole_year_tables_are_stored(self, engine, text, problem):
        with pytest.raises(ValueError, match=problem):
            store_year_tables(engine, table(text), LOADED_AT)
        assert official_days(engine) == []


class TestLoadCalendar:
    def test_the_override_file_comes_before_the_loaded_tables(self, engine, tmp_path):
        overrides = tmp_path / "overrides.toml"
        overrides.write_text(
            "[[day]]\nday = 2027-01-04\nworking = false\nname = 'guess'\n"
            "[[day]]\nday = 2026-12-31\nworking = false\nname = 'Closure'\n",
            encoding="utf-8",
        )
        settings = Settings(calendar_overrides=overrides)
        before = load_calendar(engine, settings)
        assert not before.is_working_day(date(2027, 1, 4))
        assert before.is_provisional(date(2027, 1, 4))

        store_year_tables(engine, table(), LOADED_AT)
        after = load_calendar(engine, settings)
        assert after.is_working_day(date(2027, 1, 4))  # the official table wins
        assert not after.is_working_day(date(2026, 12, 31))  # the correction stays
        assert after.version.count(" + ") == 2


class TestRecordFacts:
    def test_an_unknown_record_has_no_facts(self, engine):
        with engine.connect() as conn, pytest.raises(NotFound):
            load_record_facts(conn, 999)

    def test_facts_of_a_record_without_cases(self, engine):
        with Session(engine) as session:
            record_id = add_record(session, published_where="national").id
            session.commit()
        facts, company = facts_of(engine, record_id)
        assert facts.penalty_class == "general"
        assert facts.decision_date == date(2025, 9, 1)
        assert facts.published_where == "national"
        assert facts.fulfilled is None
        assert not company.is_barred

    def test_the_latest_answer_on_performance_and_the_bar_are_read(self, engine):
        with Session(engine) as session:
            record = add_record(session)
            add_case(session, record, fulfilled=True)
            last = add_case(session, record, fulfilled=False)
            add_case(session, record, fulfilled=None)
            session.add(
                Bar(
                    company_id=record.company_id,
                    case_id=last.id,
                    reason="penalty not carried out",
                    barred_at=datetime(2026, 2, 3, tzinfo=UTC),
                )
            )
            session.commit()
            record_id = record.id
        facts, company = facts_of(engine, record_id)
        assert facts.held_by is None  # the test's cases are all closed
        assert facts.fulfilled is False
        assert company.is_barred
        assert company.barred_reason == "penalty not carried out"


def facts_of(engine, record_id: int):
    with engine.connect() as conn:
        facts, company, _department = load_record_facts(conn, record_id)
    return facts, company
