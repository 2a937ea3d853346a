"""The class of a penalty record (失信类别) and the plain reason for it.

Classes: ``minor`` (简易程序, not published), ``general`` (一般失信), ``severe``
(严重失信) and ``specific_severe`` (特定严重失信, published for the full maximum
period and never repaired early). Every threshold and keyword list is data below;
the first rule that applies decides, in the order declared class, specific severe,
severe, minor, general, except that a declared class never lowers a specific-severe
finding: that one stands, and the declaration is kept as ``overruled``.
"""

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

MINOR, GENERAL, SEVERE, SPECIFIC_SEVERE = (
    "minor",
    "general",
    "severe",
    "specific_severe",
)

#: 较大数额: fine plus confiscation from which a penalty is severe. Ordinary fines
#: of financial regulators are a few hundred thousand yuan (median 300,000 in the
#: NFRA file) and stay general; a million yuan marks the heavy end.
SEVERE_AMOUNT_YUAN = Decimal(1_000_000)

#: Kinds that are severe by themselves: the heavier penalties of 行政处罚法 art. 63
#: (suspension, closure, revocation, demotion of qualification, bans from a trade).
SEVERE_KINDS = (
    "责令停产停业",
    "责令关闭",
    "吊销",
    "降低资质等级",
    "限制开展生产经营活动",
    "限制从业",
    "禁止从业",
    "取消任职资格",
    "撤销任职资格",
)

#: In these fields suspension or revocation is specific severe.
SPECIFIC_FIELDS = {
    "食品药品": ("食品", "药品", "疫苗", "医疗器械", "化妆品", "药监"),
    "生态环境": ("生态环境", "环境保护", "环保", "污染防治", "排污", "环境影响评价"),
    "建设工程质量": ("建设工程质量", "工程质量", "建筑法", "住房和城乡建设"),
    "安全生产": ("安全生产法", "安全生产许可", "危险化学品", "特种设备", "应急管理"),
    "消防安全": ("消防",),
    "强制性产品认证": ("强制性产品认证", "认证认可条例", "CCC认证", "3C认证"),
}
SPECIFIC_FIELD_KINDS = ("责令停产停业", "责令关闭", "吊销")

#: Listed misconduct that is specific severe whatever the penalty.
LISTED_MISCONDUCT = {
    "行贿": ("行贿",),
    "骗税、虚开发票": (
        "骗税",
        "骗取出口退税",
        "虚开发票",
        "虚开增值税",
        "虚开专用发票",
        "虚开普通发票",
    ),
    "拖欠工资": ("拖欠工资", "拖欠农民工工资", "拖欠劳动报酬", "欠薪"),
    "串通投标": ("串通投标", "串标"),
    "假冒伪劣": ("假冒伪劣", "假冒注册商标", "伪劣产品", "以假充真", "假药", "劣药"),
}
NON_REPAIRABLE = ("不可修复", "不予修复", "不得修复")

SIMPLIFIED_PROCEDURE = ("简易程序", "当场处罚")
_MISCONDUCT_WORDS = tuple(w for words in LISTED_MISCONDUCT.values() for w in words)
_FIELD_WORDS = tuple(w for words in SPECIFIC_FIELDS.values() for w in words)

DECLARED_CLASSES = {
    "特定严重失信": SPECIFIC_SEVERE,
    "特定严重": SPECIFIC_SEVERE,
    "严重失信": SEVERE,
    "严重": SEVERE,
    "一般失信": GENERAL,
    "一般": GENERAL,
    "轻微": MINOR,
    "轻微失信": MINOR,
    "简易程序": MINOR,
    **{name: name for name in (MINOR, GENERAL, SEVERE, SPECIFIC_SEVERE)},
}


@dataclass(frozen=True)
class PenaltyTraits:
    """What the classifier looks at in one record."""

    kinds: tuple[str, ...] = ()
    amount_yuan: Decimal = Decimal(0)
    authority: str = ""
    conduct: str = ""
    field_text: str = ""
    procedure: str = ""
    declared: str | None = None


@dataclass(frozen=True)
class Classification:
    """A class, the rule that chose it and the reason in words; ``overruled`` is
    a declared class that would have lowered a specific-severe finding."""

    penalty_class: str
    rule: str
    reason: str
    overruled: str | None = None

    @property
    def class_reason(self) -> str:
        reason = f"{self.reason}（规则 {self.rule}）"
        if self.overruled:
            reason += f"；明示的失信类别“{self.overruled}”不能降低特定严重失信"
        return reason


def declared_class(value: str | None) -> str | None:
    """The class a file states in its own column, or None if it states none we know."""
    return DECLARED_CLASSES.get((value or "").strip().lower())


def classify(traits: PenaltyTraits) -> Classification:
    """Apply the rules in order; the first that matches decides. A specific-severe
    finding is never lowered by a declared class (DESIGN §2: such records are
    never repaired early); it keeps the declaration as ``overruled``."""
    specific = _specific_severe(traits)
    declared = _declared(traits)
    if specific and declared and declared.penalty_class != SPECIFIC_SEVERE:
        return replace(specific, overruled=traits.declared)
    found = declared or specific or _severe(traits) or _minor(traits)
    return found or Classification(GENERAL, "G1", "一般失信：处罚未达严重失信标准")


def _declared(traits: PenaltyTraits) -> Classification | None:
    stated = declared_class(traits.declared)
    if stated is None:
        return None
    return Classification(stated, "D1", f"处罚机关明示失信类别为“{traits.declared}”")


def _specific_severe(traits: PenaltyTraits) -> Classification | None:
    flag = _first_in(traits.procedure, NON_REPAIRABLE)
    if flag:
        return Classification(SPECIFIC_SEVERE, "SS3", f"特定严重失信：标注为“{flag}”")
    misconduct = _first_group(traits.conduct, LISTED_MISCONDUCT, _MISCONDUCT_WORDS)
    if misconduct:
        reason = "特定严重失信：列明的失信行为（{}，“{}”）".format(*misconduct)
        return Classification(SPECIFIC_SEVERE, "SS2", reason)
    heavy = _kind_matching(traits.kinds, SPECIFIC_FIELD_KINDS)
    field = heavy and _first_group(
        f"{traits.authority} {traits.field_text}", SPECIFIC_FIELDS, _FIELD_WORDS
    )
    if field:
        reason = f"特定严重失信：{field[0]}领域处以{heavy}"
        return Classification(SPECIFIC_SEVERE, "SS1", reason)
    return None


def _severe(traits: PenaltyTraits) -> Classification | None:
    heavy = _kind_matching(traits.kinds, SEVERE_KINDS)
    if heavy:
        return Classification(SEVERE, "S1", f"严重失信：处以{heavy}")
    if traits.amount_yuan >= SEVERE_AMOUNT_YUAN:
        reason = (
            f"严重失信：罚没金额{traits.amount_yuan:,.2f}元，"
            f"达到{SEVERE_AMOUNT_YUAN:,}元"
        )
        return Classification(SEVERE, "S2", reason)
    return None


def _minor(traits: PenaltyTraits) -> Classification | None:
    word = _first_in(traits.procedure, SIMPLIFIED_PROCEDURE)
    if word:
        return Classification(MINOR, "M1", f"适用简易程序（“{word}”），不予公示")
    return None


def _kind_matching(kinds: tuple[str, ...], words: tuple[str, ...]) -> str | None:
    return next((kind for kind in kinds if _first_in(kind, words)), None)


def _first_in(text: str, words: tuple[str, ...]) -> str | None:
    found = _alternatives(words).search(text)
    return found[0] if found else None


def _first_group(
    text: str, groups: dict[str, tuple[str, ...]], every_word: tuple[str, ...]
) -> tuple[str, str] | None:
    """The first group (in declared order) with a word in ``text``, and the word;
    ``every_word`` of the groups is tried at once first, as most texts have none."""
    if not _alternatives(every_word).search(text):
        return None
    return next(
        (name, word)
        for name, group in groups.items()
        if (word := _first_in(text, group))
    )


@lru_cache(maxsize=64)
def _alternatives(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(map(re.escape, words)))
