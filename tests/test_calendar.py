"""The working-day calendar: package data, provisional years, override tables."""

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from credit_repair.workflow.calendar import DayOverride, WorkingCalendar
from credit_repair.workflow.calendar_file import (
    CalendarFileError,
    load_override_file,
    parse_calendar_table,
)

EXAMPLE = Path(__file__).parent.parent / "docs" / "calendar-overrides.example.toml"

TABLE_2027 = """
source = "invented for tests: the format is real, the dates are not official"

[[year]]
year = 2027
holidays = [
    { name = "New Year's Day", first = 2027-01-01, last = 2027-01-03 },
    { name = "National Day", first = 2027-10-01, last = 2027-10-07 },
]
workdays = [{ name = "National Day", days = [2027-09-26, 2027-10-09] }]
"""


def every_day(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


class TestPackageData:
    def test_agrees_with_chinese_calendar_on_every_day_of_2025_and_2026(self, calendar):
        for day in every_day(date(2025, 1, 1), date(2026, 12, 31)):
            assert calendar.is_working_day(day) == chinese_calendar.is_workday(day), day

    @pytest.mark.parametrize(
        ("day", "working", "holiday"),
        [
            (date(2026, 1, 1), False, "New Year's Day"),
            (date(2026, 1, 4), True, None),  # Sunday worked in exchange
            (date(2026, 2, 14), True, None),  # Saturday worked in exchange
            (date(2026, 2, 23), False, "Spring Festival"),  # Monday off
            (date(2026, 2, 28), True, None),
            (date(2026, 4, 6), False, "Tomb-sweeping Day"),
            (date(2026, 5, 5), False, "Labour Day"),
            (date(2026, 5, 9), True, None),
            (date(2026, 6, 19), False, "Dragon Boat Festival"),
            (date(2026, 9, 20), True, None),
            (date(2026, 9, 25), False, "Mid-autumn Festival"),
            (date(2026, 10, 7), False, "National Day"),
            (date(2026, 10, 10), True, None),
            (date(2026, 3, 7), False, None),  # a plain Saturday
            (date(2026, 3, 9), True, None),  # a plain Monday
        ],
    )
    def test_knows_2026_holidays_and_exchanged_workdays(
        self, calendar, day, working, holiday
    ):
        assert calendar.is_working_day(day) is working
        assert calendar.holiday_name(day) == holiday
        assert calendar.is_exchanged_workday(day) is (working and day.weekday() >= 5)

    def test_the_version_names_the_package_and_its_years(self, calendar):
        version = f"chinese-calendar {chinese_calendar.__version__} (2004-2026)"
        assert calendar.version == version
        assert calendar.known_years() == tuple(range(2004, 2027))

    def test_the_2026_year_table_lists_holidays_and_exchanged_workdays(self, calendar):
        table = calendar.year_table(2026)
        assert not table.provisional
        assert len(table.holidays) == 3 + 9 + 3 + 5 + 3 + 3 + 7
        assert [d.day for d in table.exchanged_workdays] == [
            date(2026, 1, 4),
            date(2026, 2, 14),
            date(2026, 2, 28),
            date(2026, 5, 9),
            date(2026, 9, 20),
            date(2026, 10, 10),
        ]

    def test_first_working_day_from_skips_rest_days(self, calendar):
        assert calendar.first_working_day_from(date(2026, 10, 1)) == date(2026, 10, 8)
        assert calendar.first_working_day_from(date(2026, 4, 1)) == date(2026, 4, 1)


class TestProvisionalYears:
    def test_chinese_calendar_refuses_2027(self):
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(date(2027, 1, 1))

    @pytest.mark.parametrize("year", [2003, 2027, 2030])
    def test_a_year_no_source_knows_counts_mon_to_fri_and_says_so(self, calendar, year):
        monday = date(year, 1, 1) + timedelta(days=-date(year, 1, 1).weekday() + 7)
        assert calendar.is_provisional(monday)
        assert calendar.is_working_day(monday)
        assert not calendar.is_working_day(monday + timedelta(days=5))
        reason = calendar.provisional_reason(monday)
        assert str(year) in reason and "Mon–Fri" in reason
        assert calendar.year_table(year).provisional

    def test_a_known_year_has_no_provisional_reason(self, calendar):
        assert calendar.provisional_reason(date(2026, 6, 1)) is None


class TestOverrides:
    def test_an_override_file_supplying_2027_makes_it_known(self, tmp_path):
        path = tmp_path / "2027.toml"
        path.write_text(TABLE_2027, encoding="utf-8")
        plain = WorkingCalendar()
        calendar = load_override_file(path)

        assert plain.is_working_day(date(2027, 1, 1))
        assert not calendar.is_provisional(date(2027, 1, 1))
        assert not calendar.is_working_day(date(2027, 1, 1))
        assert calendar.holiday_name(date(2027, 10, 4)) == "National Day"
        assert calendar.is_working_day(date(2027, 9, 26))  # a Sunday worked
        assert calendar.is_working_day(date(2027, 3, 1))  # unlisted Monday
        assert calendar.version != plain.version
        assert calendar.version.startswith(plain.version + " + overrides sha256:")
        assert calendar.version.endswith(" (2027)")

    def test_a_single_day_correction_changes_the_day_and_the_version(self):
        closure = {date(2026, 12, 31): (False, "Office closure")}
        calendar = WorkingCalendar(closure)
        assert not calendar.is_working_day(date(2026, 12, 31))
        assert calendar.holiday_name(date(2026, 12, 31)) == "Office closure"
        assert calendar.is_working_day(date(2026, 12, 30))
        assert calendar.version != WorkingCalendar().version

    def test_a_single_day_in_an_unknown_year_leaves_the_year_provisional(self):
        calendar = WorkingCalendar({date(2027, 1, 1): (False, "New Year's Day")})
        assert not calendar.is_working_day(date(2027, 1, 1))
        assert calendar.is_provisional(date(2027, 1, 1))

    def test_a_whole_year_replaces_what_the_package_said(self):
        only_new_year = {
            date(2026, 1, 1): DayOverride(date(2026, 1, 1), False, "New Year's Day")
        }
        calendar = WorkingCalendar(only_new_year, whole_years=[2026])
        assert calendar.is_working_day(date(2026, 10, 1))  # a Thursday again
        assert not calendar.is_working_day(date(2026, 10, 10))  # plain Saturday
        assert calendar.source_of(2026) == "overrides"

    def test_official_days_count_their_years_in_full_and_come_last(self):
        overrides = WorkingCalendar({date(2027, 5, 3): (False, "guess")})
        official = overrides.with_official_days(
            [DayOverride(date(2027, 1, 1), False, "New Year's Day", "notice")]
        )
        assert not official.is_provisional(date(2027, 6, 1))
        assert official.is_working_day(date(2027, 5, 3))
        assert "official tables sha256:" in official.version
        assert official.with_official_days([]) is official

    def test_the_digest_depends_on_content_not_on_where_it_came_from(self):
        day = date(2027, 1, 1)
        one = WorkingCalendar({day: DayOverride(day, False, "New Year's Day", "a")})
        two = WorkingCalendar({day: DayOverride(day, False, "New Year's Day", "b")})
        assert one.version == two.version

    def test_a_mapping_key_must_match_its_day(self):
        with pytest.raises(ValueError, match="keyed"):
            WorkingCalendar({date(2027, 1, 1): DayOverride(date(2027, 1, 2), False)})

    def test_the_shipped_example_file_matches_the_package_for_2026(self):
        example = load_override_file(EXAMPLE)
        package = WorkingCalendar()
        for day in every_day(date(2026, 1, 1), date(2026, 12, 31)):
            assert example.is_working_day(day) == package.is_working_day(day), day
            assert example.holiday_name(day) == package.holiday_name(day), day


class TestCalendarFile:
    def test_ranges_and_lists_of_days_are_both_read(self):
        table = parse_calendar_table(TABLE_2027)
        assert table.whole_years == {2027}
        assert len(table.days) == 3 + 7 + 2
        assert {d.source for d in table.days} == {
            "invented for tests: the format is real, the dates are not official"
        }

    def test_a_day_correction_is_read(self):
        table = parse_calendar_table(
            '[[day]]\nday = "2026-12-31"\nworking = false\nname = "Closure"\n'
        )
        assert table.days == (
            DayOverride(date(2026, 12, 31), False, "Closure", "<text>"),
        )
        assert table.whole_years == frozenset()

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            ("year = [", "not valid TOML"),
            ("colour = 1", "unknown key"),
            ("[[year]]\nyear = 'x'", "'year' must be a year"),
            (
                "[[year]]\nyear = 2027\n"
                "holidays = [{ name = 'x', first = 2028-01-01 }]",
                "not in 2027",
            ),
            (
                "[[year]]\nyear = 2027\n"
                "workdays = [{ name = 'x', days = [2027-01-04] }]",
                "is a weekday",
            ),
            (
                "[[year]]\nyear = 2027\nholidays = ["
                "{ name = 'a', first = 2027-01-01, last = 2027-01-02 },"
                "{ name = 'b', days = [2027-01-02] }]",
                "listed twice",
            ),
            (
                "[[year]]\nyear = 2027\n"
                "holidays = [{ name = 'x', first = 2027-01-03, last = 2027-01-01 }]",
                "before 'first'",
            ),
            (
                "[[year]]\nyear = 2027\n"
                "holidays = [{ name = 'x', days = [2027-01-01], first = 2027-01-01 }]",
                "not both",
            ),
            ("[[year]]\nyear = 2027\n[[year]]\nyear = 2027", "listed twice"),
            ("[[day]]\nday = 2027-01-01\nworking = 'no'", "true or false"),
            ("[[day]]\nday = 'soon'\nworking = false", "not a date"),
            ("[[day]]\nday = 2027-01-01T08:00:00\nworking = false", "not a date"),
            ("[[year]]\nyear = 2027\nholidays = [{ days = [2027-01-01] }]", "'name'"),
        ],
    )
    def test_a_faulty_file_is_refused_with_the_reason(self, text, problem):
        with pytest.raises(CalendarFileError, match=problem):
            parse_calendar_table(text)

    def test_a_missing_file_is_reported_by_path(self, tmp_path):
        with pytest.raises(CalendarFileError, match="cannot read"):
            load_override_file(tmp_path / "absent.toml")
