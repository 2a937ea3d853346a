"""Whether a penalty record may be repaired under a procedure, answered as a
one-time notice (一次性告知): every unmet condition at once, each with a stable
code, a message in Chinese and in English, and the facts behind it.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from credit_repair.workflow.periods import eligible_from, period_end
from credit_repair.workflow.regimes import PenaltyClass, Procedure, Regime


class Condition(StrEnum):
    """Stable codes of the conditions a repair can fail."""

    NOT_PUBLISHED = "not_published"
    NOT_ON_NATIONAL_SITE = "not_on_national_site"
    SPECIFIC_SEVERE = "specific_severe"
    COMPANY_BARRED = "company_barred"
    PENALTY_NOT_CARRIED_OUT = "penalty_not_carried_out"
    PERIOD_START_UNKNOWN = "period_start_unknown"
    MINIMUM_PERIOD_NOT_REACHED = "minimum_period_not_reached"
    PAST_MAXIMUM_PERIOD = "past_maximum_period"
    COMMITMENT_LETTER_MISSING = "commitment_letter_missing"
    TRAINING_CERTIFICATE_MISSING = "training_certificate_missing"
    CREDIT_REPORT_MISSING = "credit_report_missing"
    TRAINING_PROOF_OVERDUE = "training_proof_overdue"
    RECORD_IN_PROGRESS = "record_in_progress"


_MESSAGES: dict[Condition, tuple[str, str]] = {
    Condition.NOT_PUBLISHED: (
        "该行政处罚信息未在公示，无需修复。",
        "The record is not published; there is nothing to repair.",
    ),
    Condition.NOT_ON_NATIONAL_SITE: (
        "该信息未在“信用中国”网站公示，不适用“0工作日”即时修复。",
        "The record is not on the national site (信用中国); instant repair "
        "does not apply.",
    ),
    Condition.SPECIFIC_SEVERE: (
        "属于特定严重失信行为，须按最长公示期限公示{until_zh}，不予提前修复。",
        "A specific severe record is published for its full maximum period"
        "{until_en} and is never repaired early.",
    ),
    Condition.COMPANY_BARRED: (
        "该主体已不再享受“先修复后证明”信用承诺修复服务{reason_zh}。",
        "The company is barred from commitment repair{reason_en}.",
    ),
    Condition.PENALTY_NOT_CARRIED_OUT: (
        "行政处罚义务尚未全部履行。",
        "The penalty has not been fully carried out.",
    ),
    Condition.PERIOD_START_UNKNOWN: (
        "缺少处罚决定日期和公示日期，无法计算公示期。",
        "Neither the decision date nor the publication date is known, so the "
        "disclosure period cannot be counted.",
    ),
    Condition.MINIMUM_PERIOD_NOT_REACHED: (
        "未满最短公示期（{months}个月{basis_zh}），自{eligible_from}起可申请修复。",
        "The minimum disclosure period ({months} months{basis_en}) has not "
        "passed; repair is possible from {eligible_from}.",
    ),
    Condition.PAST_MAXIMUM_PERIOD: (
        "已超过最长公示期限（{months}个月{basis_zh}，至{maximum_end}），"
        "应撤下公示，无需修复。",
        "The maximum disclosure period ({months} months{basis_en}, until "
        "{maximum_end}) has passed; the record should come offline without repair.",
    ),
    Condition.COMMITMENT_LETTER_MISSING: (
        "缺少信用修复承诺书。",
        "The credit repair commitment letter is missing.",
    ),
    Condition.TRAINING_CERTIFICATE_MISSING: (
        "缺少信用修复培训证明。",
        "The credit repair training certificate is missing.",
    ),
    Condition.CREDIT_REPORT_MISSING: (
        "缺少信用修复报告。",
        "The credit repair report is missing.",
    ),
    Condition.TRAINING_PROOF_OVERDUE: (
        "承诺书于{received_on}收到，{documents_zh}应自收到之日起{days}日内"
        "（至{last_day} 24:00）提交，审核时该期限已过；请备齐{documents_zh}后"
        "重新提交承诺书。",
        "The commitment letter was received on {received_on}; {documents_en} "
        "had to follow within {days} days (by {last_day} 24:00), and that time "
        "passed before the review. Send the commitment letter again with "
        "{documents_en}.",
    ),
    Condition.RECORD_IN_PROGRESS: (
        "该行政处罚信息正在办理中（{holder_zh}），办结后方可另行申请。",
        "The record is already being handled ({holder_en}); apply again once "
        "that ends.",
    ),
}

#: Chinese and English names of the documents a company sends.
DOCUMENT_NAMES: dict[str, tuple[str, str]] = {
    "commitment_letter": ("信用修复承诺书", "the credit repair commitment letter"),
    "training_certificate": (
        "信用修复培训证明",
        "the credit repair training certificate",
    ),
    "credit_report": ("信用修复报告", "the credit repair report"),
}


#: The reasons commitment repair bars a company for (kept in Chinese, as the
#: company is told), in English for ``message_en`` and the publication feed.
BAR_REASONS_EN = {
    "处罚机关确认行政处罚未全部履行": "the department confirmed that the penalty "
    "was not fully carried out",
    "培训证明和信用修复报告未按时提交": "the training certificate and credit report "
    "were not sent in time",
}


def reason_in_english(reason: str | None) -> str | None:
    """A bar reason in English: from the table, as given when it is already plain
    ASCII, else None (never Chinese inside an English sentence)."""
    if reason is None:
        return None
    if reason in BAR_REASONS_EN:
        return BAR_REASONS_EN[reason]
    return reason if reason.isascii() else None


@dataclass(frozen=True)
class RecordFacts:
    """What eligibility needs to know about a penalty record.

    ``fulfilled`` is True or False when the department has said whether the
    penalty was carried out, None while that is unknown. ``held_by`` names the
    open case (``case_id``) or batch item (``batch_id``, ``item_id``) handling
    the record now; a new application is judged with it, the holder's own
    review without.
    """

    penalty_class: str
    decision_date: date | None
    published_on: date | None = None
    is_published: bool = True
    published_where: str = "city"
    fulfilled: bool | None = None
    held_by: Mapping[str, int] | None = None


@dataclass(frozen=True)
class CompanyFacts:
    """Whether the company has lost the right to commitment repair, why, and
    through which case."""

    is_barred: bool = False
    barred_reason: str | None = None
    barred_by_case: int | None = None


@dataclass(frozen=True)
class UnmetCondition:
    """One condition a repair fails, as told to the company and to staff."""

    code: str
    message_zh: str
    message_en: str
    detail: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for answers and audit records."""
        return {
            "code": self.code,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "detail": dict(self.detail),
        }


#: Conditions the company can meet itself: by sending a document, by carrying out
#: the penalty, or by waiting for the minimum period to pass. The others depend on
#: the record (its class, dates, where and whether it is published), so no
#: resubmission of the same application can meet them.
MET_BY_THE_COMPANY = frozenset(
    {
        Condition.PENALTY_NOT_CARRIED_OUT,
        Condition.MINIMUM_PERIOD_NOT_REACHED,
        Condition.COMMITMENT_LETTER_MISSING,
        Condition.TRAINING_CERTIFICATE_MISSING,
        Condition.CREDIT_REPORT_MISSING,
    }
)


def beyond_the_company(unmet: list[UnmetCondition]) -> list[UnmetCondition]:
    """The unmet conditions that no document, payment or waiting can meet."""
    return [u for u in unmet if u.code not in MET_BY_THE_COMPANY]


def period_start(record: RecordFacts) -> tuple[date, str] | None:
    """The day periods are counted from and which date it is: the decision date,
    else the publication date; None when neither is known."""
    if record.decision_date is not None:
        return record.decision_date, "decision_date"
    if record.published_on is not None:
        return record.published_on, "published_on"
    return None


def disclosure_window(record: RecordFacts, regime: Regime) -> tuple[date, date]:
    """Last days of the minimum and maximum disclosure periods of ``record``."""
    start = period_start(record)
    if start is None:
        raise ValueError("the record has neither a decision nor a publication date")
    return (
        period_end(start[0], regime.minimum_months(record.penalty_class)),
        period_end(start[0], regime.maximum_months(record.penalty_class)),
    )


def check_eligibility(
    record: RecordFacts,
    company: CompanyFacts,
    procedure: str,
    regime: Regime,
    today: date,
    documents: Collection[str],
) -> list[UnmetCondition]:
    """Every condition ``record`` fails for ``procedure`` on ``today``; empty when
    it may be repaired. ``documents`` are the kinds the company has sent."""
    procedure = Procedure(procedure)
    penalty_class = PenaltyClass(record.penalty_class)
    unmet: list[UnmetCondition] = []
    if record.held_by:
        unmet.append(_in_progress(record.held_by))
    if not record.is_published:
        unmet.append(_unmet(Condition.NOT_PUBLISHED))
    if procedure is Procedure.INSTANT and record.published_where != "national":
        unmet.append(_unmet(Condition.NOT_ON_NATIONAL_SITE))
    if procedure is Procedure.COMMITMENT and company.is_barred:
        unmet.append(_barred(company.barred_reason, company.barred_by_case))
    if record.fulfilled is False:
        unmet.append(_unmet(Condition.PENALTY_NOT_CARRIED_OUT))
    unmet += _period_conditions(record, penalty_class, regime, today)
    for kind in regime.required_documents(procedure, penalty_class):
        if kind not in documents:
            unmet.append(_unmet(Condition(f"{kind}_missing"), {"document": str(kind)}))
    return unmet


def training_proof_overdue(
    received_on: date,
    days: int,
    last_day: date,
    missing: Sequence[str],
    provisional: bool = False,
) -> UnmetCondition:
    """A severe commitment whose training certificate and credit report were due
    ``days`` after the letter's receipt, by the end of ``last_day``, and are still
    ``missing`` when the office reviews it: taking the record down would only
    publish it again and bar the company at once."""
    detail = {
        "received_on": received_on.isoformat(),
        "days": days,
        "last_day": last_day.isoformat(),
        "missing": list(missing),
        "provisional": provisional,
    }
    words = {
        "documents_zh": "和".join(DOCUMENT_NAMES[k][0] for k in missing),
        "documents_en": " and ".join(DOCUMENT_NAMES[k][1] for k in missing),
    }
    return _unmet(Condition.TRAINING_PROOF_OVERDUE, detail, words)


def _period_conditions(
    record: RecordFacts, penalty_class: PenaltyClass, regime: Regime, today: date
) -> list[UnmetCondition]:
    """Specific severe, minimum not reached, maximum passed. A specific severe
    record's minimum equals its maximum, so its own condition carries the date."""
    specific = penalty_class is PenaltyClass.SPECIFIC_SEVERE
    start = period_start(record)
    if start is None:
        unknown = _unmet(Condition.PERIOD_START_UNKNOWN)
        return [_specific_severe(None), unknown] if specific else [unknown]

    day, basis = start
    minimum = regime.minimum_months(penalty_class)
    maximum = regime.maximum_months(penalty_class)
    maximum_end = period_end(day, maximum)
    facts = {"period_start": day.isoformat(), "period_start_basis": basis}
    if today > maximum_end:
        detail = {**facts, "months": maximum, "maximum_end": maximum_end.isoformat()}
        return [_unmet(Condition.PAST_MAXIMUM_PERIOD, detail, _basis_text(start))]
    if specific:
        return [_specific_severe(maximum_end, facts)]
    if today < (opens := eligible_from(day, minimum)):
        detail = {**facts, "months": minimum, "eligible_from": opens.isoformat()}
        return [
            _unmet(Condition.MINIMUM_PERIOD_NOT_REACHED, detail, _basis_text(start))
        ]
    return []


def _specific_severe(
    maximum_end: date | None, facts: Mapping[str, str] | None = None
) -> UnmetCondition:
    if maximum_end is None:
        return _unmet(Condition.SPECIFIC_SEVERE, {}, {"until_zh": "", "until_en": ""})
    until = maximum_end.isoformat()
    detail = {**(facts or {}), "maximum_end": until}
    words = {"until_zh": f"至{until}", "until_en": f" (until {until})"}
    return _unmet(Condition.SPECIFIC_SEVERE, detail, words)


def _barred(reason: str | None, case_id: int | None = None) -> UnmetCondition:
    english = reason_in_english(reason)
    case_zh = f"，见案件{case_id}" if case_id is not None else ""
    case_en = f", case {case_id}" if case_id is not None else ""
    words = {
        "reason_zh": f"（{reason}{case_zh}）" if reason else "",
        "reason_en": f" ({english}{case_en})" if english else "",
    }
    detail = {"barred_reason": reason} if reason else {}
    if case_id is not None:
        detail["barred_by_case"] = case_id
    return _unmet(Condition.COMPANY_BARRED, detail, words)


def _in_progress(holder: Mapping[str, int]) -> UnmetCondition:
    if "case_id" in holder:
        words = {
            "holder_zh": f"信用修复案件{holder['case_id']}",
            "holder_en": f"case {holder['case_id']}",
        }
    else:
        words = {
            "holder_zh": f"批量修复批次{holder['batch_id']}第{holder['item_id']}项",
            "holder_en": f"item {holder['item_id']} of quarterly batch "
            f"{holder['batch_id']}",
        }
    return _unmet(Condition.RECORD_IN_PROGRESS, holder, words)


def _basis_text(start: tuple[date, str]) -> dict[str, str]:
    """Say so when the period runs from the publication date."""
    day, basis = start
    if basis == "decision_date":
        return {"basis_zh": "", "basis_en": ""}
    return {
        "basis_zh": f"，因无处罚决定日期，自公示日期{day}起算",
        "basis_en": f", counted from the publication date {day} as the decision "
        "date is unknown",
    }


def _unmet(
    code: Condition,
    detail: Mapping[str, Any] | None = None,
    words: Mapping[str, str] | None = None,
) -> UnmetCondition:
    detail = dict(detail or {})
    zh, en = _MESSAGES[code]
    values = {**detail, **(words or {})}
    return UnmetCondition(str(code), zh.format(**values), en.format(**values), detail)
