"""Instant national repair (0工作日) use cases: an application is reviewed the moment
it arrives, without staff; the upper level's answer closes the case."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from credit_repair.workflow import instant_effects as effects
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import BUSINESS_TZ
from credit_repair.workflow.eligibility import (
    CompanyFacts,
    RecordFacts,
    UnmetCondition,
    beyond_the_company,
    check_eligibility,
)
from credit_repair.workflow.errors import InvalidInput, ResubmissionRefused
from credit_repair.workflow.filing import Documents, file_case, store_documents
from credit_repair.workflow.intake import (
    document_fact,
    receipt_time,
    require_role,
    text_input,
)
from credit_repair.workflow.machines import state_label
from credit_repair.workflow.model import Actor, CaseData, PenaltyData
from credit_repair.workflow.regimes import Procedure
from credit_repair.workflow.transitions import (
    check_version,
    decide,
    record_transition,
    run_event,
)

MACHINE = "instant"
CHANNELS = ("website", "email", "intake")
OUTCOMES = {"repaired": "repair", "refused": "refuse"}
REVIEWER = Actor(name="preliminary review", role="system")
APPLICANTS = ("intake", "office")


@dataclass(frozen=True)
class ReviewResult:
    """A case right after its preliminary review, with every unmet condition."""

    case: CaseData
    unmet: list[UnmetCondition] = field(default_factory=list)

    @property
    def forwarded(self) -> bool:
        return self.case.state == "forwarded"

    @property
    def can_resubmit(self) -> bool:
        """Returned, and every unmet condition is one the company can meet."""
        return self.case.state == "returned" and not beyond_the_company(self.unmet)

    def as_dict(self) -> dict[str, Any]:
        """The answer an HTTP route gives in the same response."""
        return {
            "case_id": self.case.id,
            "state": self.case.state,
            "state_label": state_label(MACHINE, self.case.state),
            "version": self.case.version,
            "forwarded": self.forwarded,
            "can_resubmit": self.can_resubmit,
            "unmet": [u.as_dict() for u in self.unmet],
        }


def apply(
    wf: Workflow,
    penalty_id: int,
    actor: Actor,
    documents: Documents,
    received_at: datetime | None = None,
    channel: str = "website",
) -> ReviewResult:
    """File an application with its (kind, name, content) documents and review it
    at once: forwarded to the upper level, or returned with the one-time notice."""
    require_role(actor, *APPLICANTS)
    now = wf.clock.now()
    received_at = receipt_time(channel, CHANNELS, received_at, now)
    with wf.unit_of_work() as uow:
        record = uow.penalties.get(penalty_id)
        case = file_case(
            wf, uow, MACHINE, record, channel, received_at, documents, actor
        )
        unmet = _prelim_review(wf, uow, case, record, now)
        uow.commit()
    return ReviewResult(case, unmet)


def resubmit(
    wf: Workflow,
    case_id: int,
    actor: Actor,
    documents: Documents = (),
    expected_version: int | None = None,
) -> ReviewResult:
    """Add what was missing to a returned case and review it again at once."""
    with wf.unit_of_work() as uow:
        case = uow.cases.get(case_id)
        check_version(case, expected_version)
        unmet = _resubmit(wf, uow, case, actor, documents)
        uow.commit()
    return ReviewResult(case, unmet)


def answer(
    wf: Workflow,
    case_id: int,
    outcome: str,
    reason: str | None,
    actor: Actor,
    expected_version: int | None = None,
) -> CaseData:
    """Record the upper level's result: ``repaired`` or ``refused`` (with reason)."""
    if outcome not in OUTCOMES:
        raise InvalidInput({"outcome": f"{outcome!r} is not repaired or refused"})
    inputs = {"reason": reason} if reason else {}
    return fire_event(wf, case_id, OUTCOMES[outcome], actor, inputs, expected_version)


def fire_event(
    wf: Workflow,
    case_id: int,
    event: str,
    actor: Actor,
    inputs: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> CaseData:
    """Send an upper-level answer or a staff event to a case, in one transaction."""
    return run_event(wf, case_id, event, actor, inputs, expected_version, _HANDLERS)


def unmet_conditions(
    wf: Workflow, case: CaseData, record: PenaltyData, kinds: set[str], now
) -> list[UnmetCondition]:
    """Every condition of the one-time notice the application fails today, with
    ``kinds`` the kinds of document it has."""
    facts = RecordFacts(
        penalty_class=record.penalty_class,
        decision_date=record.decision_date,
        published_on=record.published_on,
        is_published=record.is_published,
        published_where=record.published_where,
    )
    today = now.astimezone(BUSINESS_TZ).date()
    regime = wf.regime_for(case.regime)
    return check_eligibility(
        facts, CompanyFacts(), Procedure.INSTANT, regime, today, kinds
    )


def _prelim_review(wf, uow, case: CaseData, record: PenaltyData, now):
    documents = uow.cases.documents(case.id)
    unmet = unmet_conditions(wf, case, record, {d.kind for d in documents}, now)
    guards = {"unmet": [u.code for u in unmet]}
    target = decide(case, "prelim_review", guards)
    payload: dict[str, Any] = {"unmet": [u.as_dict() for u in unmet]}
    if target == "forwarded":
        payload |= effects.forward(wf, uow, case, record, documents, now)
    case.outcome = {
        **case.outcome,
        "review": target,
        "unmet": guards["unmet"],
        "can_resubmit": target == "returned" and not beyond_the_company(unmet),
        "reviewed_at": now.isoformat(),
    }
    record_transition(
        uow, case, "prelim_review", target, REVIEWER, now, guards, payload
    )
    if target == "returned":
        effects.notify_returned(uow, case, unmet, now)
    return unmet


def _resubmit(wf, uow, case: CaseData, actor: Actor, documents: Documents):
    require_role(actor, *APPLICANTS)
    now = wf.clock.now()
    target = decide(case, "resubmit", {})
    record = uow.penalties.get(case.penalty_id)
    kinds = uow.cases.document_kinds(case.id)
    blocking = beyond_the_company(unmet_conditions(wf, case, record, kinds, now))
    if blocking:
        raise ResubmissionRefused(case.label, blocking)
    stored = store_documents(uow, case, documents, now)
    payload = {"documents": [document_fact(d) for d in stored]}
    record_transition(uow, case, "resubmit", target, actor, now, {}, payload)
    return _prelim_review(wf, uow, case, record, now)


def _resubmit_event(wf, uow, case, actor, _inputs) -> None:
    _resubmit(wf, uow, case, actor, [])


def _repair(wf, uow, case: CaseData, actor: Actor, inputs) -> None:
    require_role(actor, *APPLICANTS)
    now = wf.clock.now()
    reason = text_input(inputs, "reason") or "省级和国家信用平台复核通过"
    target = decide(case, "repair", {})
    record = uow.penalties.get(case.penalty_id)
    _answered(case, "repaired", reason, inputs, now)
    payload = {
        "reason": reason,
        "reference": text_input(inputs, "reference"),
        "record_was_published": record.is_published,
    }
    record_transition(uow, case, "repair", target, actor, now, {}, payload)
    effects.on_repaired(uow, case, record, now)


def _refuse(wf, uow, case: CaseData, actor: Actor, inputs) -> None:
    require_role(actor, *APPLICANTS)
    now = wf.clock.now()
    reason = text_input(inputs, "reason")
    if not reason:
        raise InvalidInput({"reason": "required: why the upper level refused"})
    target = decide(case, "refuse", {})
    _answered(case, "refused", reason, inputs, now)
    payload = {"reason": reason, "reference": text_input(inputs, "reference")}
    record_transition(uow, case, "refuse", target, actor, now, {}, payload)
    effects.on_refused(uow, case, reason, now)


def _withdraw(wf, uow, case: CaseData, actor: Actor, inputs) -> None:
    require_role(actor, *APPLICANTS)
    now = wf.clock.now()
    target = decide(case, "withdraw", {})
    reason = text_input(inputs, "reason") or "withdrawn by the company"
    record_transition(uow, case, "withdraw", target, actor, now, {}, {"reason": reason})
    effects.settle(uow, case, "cancelled", now)


_HANDLERS = {
    "repair": _repair,
    "refuse": _refuse,
    "resubmit": _resubmit_event,
    "withdraw": _withdraw,
}
#: The events a caller may send; the machine's others are the service's own.
CALLER_EVENTS = frozenset(_HANDLERS)


def _answered(case: CaseData, outcome: str, reason: str, inputs, now) -> None:
    case.outcome = {
        **case.outcome,
        "upper_level": outcome,
        "reason": reason,
        "reference": text_input(inputs, "reference"),
        "answered_at": now.isoformat(),
    }
