"""The unified social credit code (统一社会信用代码) check of GB 32100-2015.

A code that fails the check is reported, never refused: a few early pilot codes are
real yet fail it, so callers turn a failure into a warning.
"""

import unicodedata
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LENGTH = 18
_VALUE = {char: value for value, char in enumerate(ALPHABET)}
_WEIGHTS = [pow(3, i, 31) for i in range(LENGTH - 1)]

REGISTRATION_AUTHORITIES = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "市场监督管理",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}


@dataclass(frozen=True)
class UsccCheck:
    """The outcome of checking one code; ``problem`` is None when the code passes."""

    code: str
    problem: str | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def well_formed(self) -> bool:
        """Eighteen characters of the alphabet, whatever the check character says."""
        return self.problem in (None, "bad_check_character")


def normalise_uscc(raw: str) -> str:
    """Upper case, full-width characters folded, spaces and hyphens dropped."""
    folded = unicodedata.normalize("NFKC", raw).upper()
    return "".join(ch for ch in folded if not ch.isspace() and ch != "-")


def check_character(first17: str) -> str:
    """The 18th character that GB 32100 computes for the first 17."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def check_uscc(raw: str) -> UsccCheck:
    """Check a code's length, characters and check character, saying what failed."""
    code = normalise_uscc(raw)
    if len(code) != LENGTH:
        return UsccCheck(code, "wrong_length", f"长度为{len(code)}位，应为18位")
    foreign = sorted({ch for ch in code if ch not in _VALUE})
    if foreign:
        shown = "、".join(foreign)
        return UsccCheck(code, "bad_characters", f"含有不允许的字符 {shown}")
    expected = check_character(code[:17])
    if code[17] != expected:
        reason = f"校验码为{code[17]}，按GB 32100计算应为{expected}"
        return UsccCheck(code, "bad_check_character", reason)
    return UsccCheck(code)
