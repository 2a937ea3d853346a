"""Records published twice (重复公示): the same decision number of the same
authority, or the same party, authority and date with near-identical content.

Candidates come grouped from storage; only members of one group are compared.
"""

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations

from credit_repair.workflow.model import PublishedRecord

SAME_DECISION = "same_decision_number"
SAME_PARTY_DATE_CONTENT = "same_party_date_content"
NEAR_IDENTICAL = 0.9
REASONS_ZH = {
    SAME_DECISION: "处罚机关和决定书文号相同",
    SAME_PARTY_DATE_CONTENT: "当事人、处罚机关和日期相同且内容几乎一致",
}


@dataclass(frozen=True)
class DuplicateGroup:
    """Records that are one decision published more than once."""

    penalty_ids: tuple[int, ...]
    reasons: tuple[str, ...]
    similarity: float | None = None

    @property
    def key(self) -> str:
        """Stable identity of the group, to report it only once."""
        ids = ",".join(str(i) for i in self.penalty_ids)
        return hashlib.sha256(ids.encode()).hexdigest()[:24]

    def as_dict(self) -> dict:
        return {
            "penalty_ids": list(self.penalty_ids),
            "reasons": list(self.reasons),
            "similarity": self.similarity,
            "key": self.key,
        }


def normalise(text: str) -> str:
    """Text without width variants, case, spaces, punctuation or symbols."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def comparable_text(record: PublishedRecord) -> str:
    """What two records are compared on: the published content, else the facts,
    legal basis and penalty kinds together."""
    if record.content and record.content.strip():
        return normalise(record.content)
    parts = [record.facts or "", record.legal_basis or "", *record.penalty_kinds]
    return normalise("".join(parts))


def similarity(a: str, b: str) -> float:
    """1.0 for equal texts, else difflib's ratio."""
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def near_identical(a: PublishedRecord, b: PublishedRecord) -> float | None:
    """The similarity of two records' content when it is at least 0.9 and their
    fines and penalty kinds do not differ; None otherwise."""
    if _differ(a.fine_yuan, b.fine_yuan):
        return None
    if _differ(set(a.penalty_kinds) or None, set(b.penalty_kinds) or None):
        return None
    text_a, text_b = comparable_text(a), comparable_text(b)
    if not text_a or not text_b:
        return None
    matcher = SequenceMatcher(None, text_a, text_b, autojunk=False)
    if matcher.real_quick_ratio() < NEAR_IDENTICAL:
        return None
    score = 1.0 if text_a == text_b else matcher.ratio()
    return round(score, 4) if score >= NEAR_IDENTICAL else None


def _differ(a, b) -> bool:
    """Both values are known and not equal."""
    return a is not None and b is not None and a != b


def duplicate_groups(
    same_decision: Iterable[list[PublishedRecord]],
    same_party_date: Iterable[list[PublishedRecord]],
) -> list[DuplicateGroup]:
    """Join the candidates into groups: every member of a same-decision group is
    a duplicate; members of a same-party-and-date group only when near-identical."""
    parent: dict[int, int] = {}
    reasons: dict[int, set[str]] = {}
    scores: dict[int, list[float]] = {}

    def root(i: int) -> int:
        parent.setdefault(i, i)
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int, reason: str, score: float | None) -> None:
        ra, rb = root(a), root(b)
        parent[rb] = ra
        reasons[ra] = reasons.pop(ra, set()) | reasons.pop(rb, set()) | {reason}
        merged = scores.pop(ra, []) + scores.pop(rb, [])
        scores[ra] = merged + ([score] if score is not None else [])

    for group in same_decision:
        for other in group[1:]:
            join(group[0].id, other.id, SAME_DECISION, None)
    for group in same_party_date:
        for a, b in combinations(group, 2):
            score = near_identical(a, b)
            if score is not None:
                join(a.id, b.id, SAME_PARTY_DATE_CONTENT, score)

    members: dict[int, list[int]] = {}
    for i in parent:
        members.setdefault(root(i), []).append(i)
    return sorted(
        (
            DuplicateGroup(
                tuple(sorted(ids)),
                tuple(sorted(reasons[head])),
                min(scores[head]) if scores.get(head) else None,
            )
            for head, ids in members.items()
            if len(ids) > 1
        ),
        key=lambda g: g.penalty_ids,
    )
