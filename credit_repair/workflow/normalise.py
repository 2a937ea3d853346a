"""Normalisers for the messy cells of published penalty files: dates, amounts of
money, penalty kinds, free text and names of parties and authorities."""

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

TEN_THOUSAND = Decimal(10_000)
CENT = Decimal("0.01")
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_SERIALS = range(20_000, 80_000)  # 1954 to 2119 as Excel day numbers

_DATE_PATTERNS = [
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
]
_TIME_OF_DAY = re.compile(r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_KIND_SEPARATORS = re.compile(r"[、;；,，\n]+")
_SPACES = re.compile(r"\s+")
_AMOUNT = re.compile(r"(-?\d+(?:\.\d+)?)(万元|万|元)?")
_NFRA_LONG_NAME = re.compile(
    r"国家金融监(?:督管理|管管理|管)总局(.+?)(?:金融)?监管(分局|局)(?:金融监管总局)?"
)


class UnreadableValue(ValueError):
    """Raised when a cell holds something that is not the date or amount expected."""

    def __init__(self, kind: str, value: object) -> None:
        super().__init__(f"unreadable {kind}: {value!r}")
        self.kind = kind
        self.value = value


def clean_text(value: object) -> str | None:
    """Text with runs of whitespace collapsed; None for an empty cell."""
    if value is None:
        return None
    return " ".join(str(value).split()) or None


def parse_date(value: object) -> date | None:
    """A calendar date from a cell: ``2024-12-11``, ``2024/12/11``, ``20241211``,
    ``2024年12月11日``, a date-time such as ``2024-12-06 15:58:27``, an Excel date
    cell or an Excel day number. None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _date_from_number(value)
    text = clean_text(value)
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", text).replace(" 年", "年")
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text) or _with_time_of_day(pattern, text)
        if match:
            return _valid_date(*match.groups(), original=value)
    raise UnreadableValue("date", value)


def _with_time_of_day(pattern: re.Pattern, text: str) -> re.Match | None:
    match = pattern.match(text)
    if match and _TIME_OF_DAY.fullmatch(text[match.end() :]):
        return match
    return None


def _date_from_number(number: float) -> date:
    if float(number).is_integer() and 19_000_101 <= number <= 29_991_231:
        digits = str(int(number))
        return _valid_date(digits[:4], digits[4:6], digits[6:], original=number)
    if int(number) in _EXCEL_SERIALS:
        return _EXCEL_EPOCH + timedelta(days=int(number))
    raise UnreadableValue("date", number)


def _valid_date(year: str, month: str, day: str, *, original: object) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise UnreadableValue("date", original) from None


def parse_amount(value: object, *, unit: str = "元") -> Decimal | None:
    """An amount of money in yuan, to the fen. ``unit`` is what a bare number means
    (``元`` or ``万元``); a number written with its own unit (``2万元``) keeps it."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise UnreadableValue("amount", value)
    if isinstance(value, int | float | Decimal):
        number, written_unit = Decimal(str(value)), None
    else:
        text = clean_text(value)
        if text is None:
            return None
        text = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
        text = text.removeprefix("人民币").removeprefix("¥")
        match = _AMOUNT.fullmatch(text)
        if not match:
            raise UnreadableValue("amount", value)
        number, written_unit = Decimal(match[1]), match[2]
    if not number.is_finite() or number < 0:
        raise UnreadableValue("amount", value)
    in_ten_thousands = (written_unit or unit) in ("万元", "万")
    yuan = number * TEN_THOUSAND if in_ten_thousands else number
    return yuan.quantize(CENT, rounding=ROUND_HALF_UP)


def split_kinds(value: object) -> list[str]:
    """Penalty kinds (处罚类别) from one cell joined with 、 ; ； , or ，, in order and
    without repeats. A slash is part of a national category name
    (暂扣/降低资质等级/吊销许可证件), so it does not separate."""
    text = clean_text(value)
    if text is None:
        return []
    kinds = (kind.strip() for kind in _KIND_SEPARATORS.split(text))
    return list(dict.fromkeys(kind for kind in kinds if kind))


def canonical_authority(name: object) -> str | None:
    """The name a deciding authority is filed under: whitespace removed, a name typed
    twice kept once, and the long names of the national financial regulator's local
    offices (国家金融监督管理总局广东监管局) shortened to their official form
    (广东金融监管局), so that one office is one department."""
    text = clean_text(name)
    if text is None:
        return None
    halves = text.split(" ")
    if len(halves) == 2 and halves[0] == halves[1]:
        text = halves[0]
    text = text.replace(" ", "")
    match = _NFRA_LONG_NAME.fullmatch(text)
    if match:
        text = f"{match[1]}金融监管{match[2]}"
    return text


def name_key(name: str) -> str:
    """The form of a party's name used to recognise it again: full-width characters
    folded and whitespace removed."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name))
