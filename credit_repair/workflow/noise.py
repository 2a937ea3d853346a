"""Screening of source rows for scraper noise: rows that are not a penalty against a
party and are rejected, with a reason, instead of being imported."""

import re
from dataclasses import dataclass

_AUTHORITY_NAME = re.compile(
    r"(监督管理总局|监管总局|监督管理局|监督管理分局|监管局|监管分局"
    r"|银保监会|银保监局|银保监分局|监督管理委员会)$"
)
_TRAILING_DATE = re.compile(
    r"(.*?)\s*(\d{4}年\d{1,2}月\d{1,2}日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{8})"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_ISSUER_SUFFIX = ("局", "会", "委", "厅", "院")
_MASKED_PERSON = "某某"
PERSON_KINDS = ("自然人",)

REASONS = {
    "missing_party": "当事人名称为空",
    "party_is_authority": "当事人是监管机关，不是被处罚的当事人",
    "party_is_person": "当事人是自然人（或被遮蔽的个人姓名），不是市场主体",
    "content_is_date": "处罚内容只是一个日期，不是处罚",
    "missing_penalty": "既没有处罚类别也没有处罚内容",
    "missing_authority": "没有处罚机关",
    "date_in_future": "日期晚于今天",
    "date_too_old": "日期早于1990年，不是可信的处罚日期",
    "duplicate_in_file": "与本文件中前面一行是同一条处罚记录",
    "value_too_long": "字段超出可保存的长度",
}

#: The longest value each short field may have (the sizes of the stored columns).
MAX_LENGTHS = {
    "party_name": 300,
    "authority": 200,
    "decision_number": 200,
    "party_kind": 40,
    "province": 40,
}


@dataclass(frozen=True)
class Rejection:
    """A source row that was not imported, and why."""

    row: int
    reason: str
    detail: str

    def as_dict(self) -> dict:
        return {"row": self.row, "reason": self.reason, "detail": self.detail}


def reject(row: int, reason: str, subject: str | None = None) -> Rejection:
    """A rejection of ``row`` for one of the known ``REASONS``."""
    detail = REASONS[reason] if not subject else f"{REASONS[reason]}：{subject}"
    return Rejection(row, reason, detail)


def is_authority_name(name: str) -> bool:
    """Whether a party name is really the name of a regulator."""
    return bool(_AUTHORITY_NAME.search(name))


def is_person(name: str, kind: str | None) -> bool:
    """Whether the party is a natural person: so declared, or a masked name (某某…)."""
    return (kind or "").strip() in PERSON_KINDS or name.startswith(_MASKED_PERSON)


def is_date_only(content: str | None) -> bool:
    """Whether a penalty content is just a date, maybe after the issuer's name
    (长治金融监管分局 2024年12月5日), as a scraper takes it from a signature line."""
    match = _TRAILING_DATE.fullmatch(content or "")
    return bool(match) and (not match[1] or match[1].endswith(_ISSUER_SUFFIX))


def screen(
    row: int,
    party: str | None,
    party_kind: str | None,
    content: str | None,
    kinds: list[str],
    authority: str | None,
) -> Rejection | None:
    """The first noise rule a row breaks, or None when it is a penalty record.
    Checked in this order: party, authority as party, person, date as content,
    penalty, authority."""
    if not party:
        return reject(row, "missing_party")
    if is_authority_name(party):
        return reject(row, "party_is_authority", party)
    if is_person(party, party_kind):
        return reject(row, "party_is_person", party)
    if is_date_only(content):
        return reject(row, "content_is_date", content)
    if not kinds and not content:
        return reject(row, "missing_penalty")
    if not authority:
        return reject(row, "missing_authority")
    return None


def too_long(row: int, values: dict[str, str | None]) -> Rejection | None:
    """A rejection naming the first short field whose value is longer than allowed."""
    for name, limit in MAX_LENGTHS.items():
        value = values.get(name)
        if value and len(value) > limit:
            return reject(
                row, "value_too_long", f"{name} 有{len(value)}字，最多{limit}字"
            )
    return None
