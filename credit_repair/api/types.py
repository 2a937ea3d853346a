"""Constrained field types shared by the request schemas: every value that reaches
the database fits its column, so bad input is a 422 and never a database error."""

import base64
import binascii
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
)

LARGEST_ID = 2**31 - 1
EARLIEST_DAY = date(1990, 1, 1)
LATEST_DAY = date(2099, 12, 31)


def _printable(value: str) -> str:
    """Refuse control characters (NUL above all) and lone surrogates."""
    for ch in value:
        category = unicodedata.category(ch)
        if (category == "Cc" and ch not in "\t\n\r") or category == "Cs":
            raise ValueError(f"contains the control character {ch!r}")
    return value


def text(max_length: int, min_length: int = 1):
    """A printable string of at most ``max_length`` characters."""
    return Annotated[
        str,
        StringConstraints(
            min_length=min_length, max_length=max_length, strip_whitespace=True
        ),
        AfterValidator(_printable),
    ]


def _within_service_years(value: datetime) -> datetime:
    """Years as written (before any conversion, which could overflow)."""
    if not EARLIEST_DAY.year <= value.year <= LATEST_DAY.year:
        raise ValueError(f"must lie between {EARLIEST_DAY.year} and {LATEST_DAY.year}")
    return value


#: Ids and versions written as text: in a path, a query, a form field or a JSON
#: object's key.
Id = Annotated[int, Field(ge=1, le=LARGEST_ID)]
Version = Annotated[int, Field(ge=1, le=LARGEST_ID)]
#: Ids and versions as JSON values: numbers only, never ``true`` or ``"3"`` (which
#: lax validation reads as 1 and 3), as ``fulfilled`` takes only true or false.
StrictId = Annotated[int, Strict(), Field(ge=1, le=LARGEST_ID)]
StrictVersion = Annotated[int, Strict(), Field(ge=1, le=LARGEST_ID)]
Day = Annotated[date, Field(ge=EARLIEST_DAY, le=LATEST_DAY)]
Instant = Annotated[AwareDatetime, AfterValidator(_within_service_years)]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
Word = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{0,39}$")]
Uscc = Annotated[
    str,
    StringConstraints(
        pattern=r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
    ),
]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]


def _base64(value: object) -> bytes:
    if not isinstance(value, str):
        raise ValueError("must be a base64 string")
    try:
        content = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("is not valid base64") from None
    if not content:
        raise ValueError("the document is empty")
    return content


Base64Content = Annotated[
    bytes,
    BeforeValidator(_base64),
    WithJsonSchema({"type": "string", "contentEncoding": "base64", "minLength": 4}),
]
