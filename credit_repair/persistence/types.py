"""Column types and predicates that keep the rules on time and money, and the
query plans, the same on every database."""

from datetime import UTC, datetime

from sqlalchemy import ColumnElement, DateTime, literal_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """An aware instant stored as UTC; a naive value is refused, not guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: an instant needs a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def flag(column) -> ColumnElement[bool]:
    """A boolean column as a bare predicate (``table.flag``) on every database.

    It matches partial indexes declared ``WHERE flag``: SQLite renders a plain
    boolean column as ``flag = 1``, which its planner does not take to imply
    ``flag`` and so scans the table instead. On SQLite it is also no equality term
    that would tempt the planner away from an id range.
    """
    return literal_column(f"{column.table.name}.{column.name}")
