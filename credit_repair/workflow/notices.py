"""Chinese texts of the notices that instant repair, housekeeping and batch repair
send through the outbox, by kind. Recipients are ``company:ID``,
``department:CODE``, ``office`` and ``upper_level`` (the province and the nation).
"""

from dataclasses import dataclass
from datetime import datetime

from credit_repair.workflow.eligibility import Condition
from credit_repair.workflow.ports import UnitOfWork

UPPER_LEVEL = "upper_level"
OFFICE = "office"


@dataclass(frozen=True)
class NoticeKind:
    """One kind of notice: who receives it and its text with ``{placeholders}``."""

    kind: str
    audience: str
    template: str


CATALOGUE = {
    notice.kind: notice
    for notice in (
        NoticeKind(
            "one_time_notice",
            "company",
            "您的{procedure}申请（案件{case_id}）未通过初审，现一次性告知如下：{lines}"
            "{ending}",
        ),
        NoticeKind(
            "instant_forwarded",
            "company",
            "您的“0工作日”信用修复申请（案件{case_id}）已通过初审，"
            "已报送省级和国家信用平台复核。",
        ),
        NoticeKind(
            "upper_level_review",
            UPPER_LEVEL,
            "昆明市信用办报送“0工作日”信用修复申请（案件{case_id}）："
            "{company}（统一社会信用代码{uscc}），行政处罚决定书文号{decision_number}，"
            "处罚机关{department}，已通过初审，请复核。",
        ),
        NoticeKind(
            "upper_level_repaired",
            "company",
            "经省级和国家信用平台复核，您的信用修复申请（案件{case_id}）已通过，"
            "相关行政处罚信息已下线。",
        ),
        NoticeKind(
            "upper_level_refused",
            "company",
            "经省级和国家信用平台复核，您的信用修复申请（案件{case_id}）未获通过，"
            "原因：{reason}。",
        ),
        NoticeKind(
            "upper_level_overdue",
            OFFICE,
            "案件{case_id}已报送上级复核，截至{due}仍未收到答复，请跟进。",
        ),
        NoticeKind(
            "record_expired",
            "company",
            "您的行政处罚信息（{decision_number}）已于{maximum_end}届满最长公示期限，"
            "已撤下公示。",
        ),
        NoticeKind(
            "duplicate_publication",
            OFFICE,
            "发现重复公示的行政处罚信息（记录{penalty_ids}）：{reasons}，请核实处理。",
        ),
        NoticeKind(
            "batch_outcome",
            "company",
            "您的行政处罚信息（{decision_number}）在{batch}批量主动修复中的结果：{outcome}。",
        ),
        NoticeKind(
            "letter_requested",
            "company",
            "您的行政处罚信息（{decision_number}）已通过批量主动修复下线，"
            "请于{due}前提交信用修复承诺书。",
        ),
    )
}


RESUBMIT = "请补齐后重新提交。"
#: What happens instead of a repair, for each condition no resubmission can meet.
INSTEAD = {
    Condition.NOT_PUBLISHED: "该信息已不在公示，无需办理",
    Condition.PAST_MAXIMUM_PERIOD: "该信息已届满最长公示期限，将由系统自动撤下公示，"
    "无需办理",
    Condition.SPECIFIC_SEVERE: "该信息须公示至最长公示期限届满，届满后自动撤下",
    Condition.NOT_ON_NATIONAL_SITE: "该信息未在“信用中国”网站公示，"
    "可向市信用办申请“先修复后证明”信用承诺修复",
    Condition.PERIOD_START_UNKNOWN: "请联系市信用办补录处罚决定日期或公示日期",
}
_ASK_THE_OFFICE = "请联系市信用办"
#: Said of a record that is offline already, instead of its coming offline.
_OFFLINE_ALREADY = {Condition.PAST_MAXIMUM_PERIOD, Condition.SPECIFIC_SEVERE}


def one_time_notice_ending(codes: list[str], blocking: list[str]) -> str:
    """The last words of a one-time notice whose conditions are ``codes``: an
    invitation to resubmit, unless some of them (``blocking``) are beyond the
    company; then which they are, that resubmitting is pointless, and what
    happens instead."""
    if not blocking:
        return RESUBMIT
    numbers = "、".join(str(codes.index(code) + 1) for code in blocking)
    shown = blocking
    if Condition.NOT_PUBLISHED in blocking:
        shown = [c for c in blocking if c not in _OFFLINE_ALREADY]
    instead = list(dict.fromkeys(INSTEAD.get(c, _ASK_THE_OFFICE) for c in shown))
    return (
        f"其中第{numbers}项无法通过补正解决，本申请不能重新提交："
        + "；".join(instead)
        + "。"
    )


DEADLINE_NAMES = {
    "request_confirmation": "信用办函询处罚机关",
    "department_answer": "处罚机关反馈履行情况",
    "department_reminder": "处罚机关反馈履行情况（催办）",
    "training_proof": "提交培训证明和信用修复报告",
    "upper_level_answer": "上级复核答复",
    "confirmation": "部门确认",
    "review": "信用办复核",
    "notice": "公示",
}


def deadline_name(kind: str) -> str:
    """The Chinese name of a deadline kind, for notices; the code if it has none."""
    return DEADLINE_NAMES.get(kind, kind)


def render(kind: str, **values: object) -> str:
    """The text of a notice of ``kind``; a missing value raises ``KeyError``."""
    return CATALOGUE[kind].template.format(**values)


def send(
    uow: UnitOfWork,
    kind: str,
    recipient: str,
    stream: str | None,
    at: datetime,
    payload: dict | None = None,
    **values: object,
) -> int:
    """Queue a notice of ``kind`` in the outbox of the current transaction."""
    return uow.outbox.notify(
        recipient, kind, render(kind, **values), stream, at, payload
    )
