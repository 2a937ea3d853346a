"""Chinese texts of the notices that instant repair, housekeeping and batch repair
send through the outbox, by kind. Recipients are ``company:ID``,
``department:CODE``, ``office`` and ``upper_level`` (the province and the nation).
"""

from dataclasses import dataclass
from datetime import datetime

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
            "请补齐后重新提交。",
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
