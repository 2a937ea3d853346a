"""Commitment repair (先修复后证明) use cases, shared by API, CLI and scheduler."""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from credit_repair.workflow import commitment_effects as effects
from credit_repair.workflow.commitment_deadlines import expire_escalated_proof
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import BUSINESS_TZ
from credit_repair.workflow.documents import receive_document
from credit_repair.workflow.eligibility import (
    RecordFacts,
    check_eligibility,
)
from credit_repair.workflow.errors import Forbidden, InvalidInput
from credit_repair.workflow.filing import file_case
from credit_repair.workflow.intake import document_fact, receipt_time, require_role
from credit_repair.workflow.model import Actor, CaseData, PenaltyData
from credit_repair.workflow.ports import UnitOfWork
from credit_repair.workflow.record_class import keep_confirmed_class
from credit_repair.workflow.regimes import DocumentKind, PenaltyClass, Procedure
from credit_repair.workflow.training_proof import overdue_proof
from credit_repair.workflow.transitions import (
    check_version,
    decide,
    record_transition,
    run_event,
)

MACHINE = "commitment"
CHANNELS = ("website", "email", "intake")
PROOF_DOCUMENTS = {DocumentKind.TRAINING_CERTIFICATE, DocumentKind.CREDIT_REPORT}
NOT_CARRIED_OUT = "处罚机关确认行政处罚未全部履行"


def submit(
    wf: Workflow,
    penalty_id: int,
    channel: str,
    actor: Actor,
    received_at: datetime | None = None,
    documents: list[tuple[str, str, bytes]] = (),
) -> CaseData:
    """File a commitment letter; ``documents`` are (kind, name, content) triples."""
    now = wf.clock.now()
    received_at = receipt_time(channel, CHANNELS, received_at, now)
    with wf.unit_of_work() as uow:
        record = uow.penalties.get(penalty_id)
        case = file_case(
            wf, uow, MACHINE, record, channel, received_at, documents, actor
        )
        uow.commit()
    return case


def fire_event(
    wf: Workflow,
    case_id: int,
    event: str,
    actor: Actor,
    inputs: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> CaseData:
    """Send a staff or department event to a case, in one transaction."""
    return run_event(
        wf,
        case_id,
        event,
        actor,
        inputs,
        expected_version,
        _HANDLERS,
        _BY_DOCUMENT,
        CALLER_EVENTS,
    )


def attach_document(
    wf: Workflow,
    case_id: int,
    kind: str,
    name: str,
    content: bytes,
    actor: Actor,
    expected_version: int | None = None,
) -> CaseData:
    """Store a document for an open case (``submit_proof``); completes a severe case
    that was waiting for its training proof."""
    now = wf.clock.now()
    document = receive_document(kind, name, content, now)
    with wf.unit_of_work() as uow:
        case = uow.cases.get(case_id)
        check_version(case, expected_version)
        uow.cases.add_document(case.id, document)
        guards = {"has_all_documents": _has_proof(uow, case)}
        target = decide(case, "submit_proof", guards)
        payload = {"document": document_fact(document)}
        record_transition(
            uow, case, "submit_proof", target, actor, now, guards, payload
        )
        if target == "effective":
            effects.make_effective(uow, case, now)  # the training proof's clock too
        elif guards["has_all_documents"]:
            effects.settle(uow, case, ["training_proof"], "met", now)
        uow.commit()
    return case


def _review(wf: Workflow, uow: UnitOfWork, case: CaseData, actor: Actor, _inputs):
    """The office's review; its outcome, with every unmet condition in full, is
    kept on the case so that whoever reads it sees why it was rejected."""
    require_role(actor, "office")
    now = wf.clock.now()
    record = uow.penalties.get(case.penalty_id)
    unmet = unmet_conditions(wf, uow, case, record, now)
    guards = {"unmet": [u.code for u in unmet]}
    target = decide(case, "review", guards)
    payload = {"unmet": [asdict(u) for u in unmet]}
    case.outcome = {
        **case.outcome,
        "review": target,
        "unmet": payload["unmet"],
        "reviewed_at": now.isoformat(),
    }
    if target == "taken_down":
        payload["deadlines"] = effects.on_taken_down(wf, uow, case, now)
    record_transition(uow, case, "review", target, actor, now, guards, payload)
    if target == "rejected":
        effects.notify_rejection(uow, case, record, unmet, now)


def _request_confirmation(wf, uow, case, actor, _inputs):
    require_role(actor, "office")
    now = wf.clock.now()
    target = decide(case, "request_confirmation", {})
    payload = {"deadlines": effects.on_confirmation_requested(wf, uow, case, now)}
    record_transition(
        uow, case, "request_confirmation", target, actor, now, {}, payload
    )


def _confirm(wf, uow, case, actor, inputs):
    _require_own_department(actor, uow.penalties.department_code(case.penalty_id))
    fulfilled, confirmed_class = _confirmation_inputs(inputs, case)
    now = wf.clock.now()
    regime = wf.regime_for(case.regime)
    guards = {
        "fulfilled": fulfilled,
        "needs_training_proof": confirmed_class == PenaltyClass.SEVERE
        and regime.severe_needs_training,
        "has_all_documents": _has_proof(uow, case),
    }
    target = decide(case, "confirm", guards)
    reclassified = confirmed_class != case.penalty_class
    case.fulfilled = fulfilled
    case.penalty_class = confirmed_class
    payload = {"fulfilled": fulfilled, "penalty_class": confirmed_class}
    payload["deadlines"] = effects.on_confirmed(
        wf, uow, case, target, guards, reclassified, now
    )
    record_transition(uow, case, "confirm", target, actor, now, guards, payload)
    if reclassified:
        record = uow.penalties.get(case.penalty_id)
        keep_confirmed_class(uow, record, confirmed_class, case, actor, now)
    effects.on_closed(uow, case, target, guards, now, reason=NOT_CARRIED_OUT)


def _withdraw(wf, uow, case, actor, inputs):
    require_role(actor, "office", "intake")
    now = wf.clock.now()
    source = case.state
    target = decide(case, "withdraw", {})
    reason = str(inputs.get("reason") or "withdrawn by the company")
    record_transition(uow, case, "withdraw", target, actor, now, {}, {"reason": reason})
    effects.on_withdrawn(uow, case, source, reason, now)


_BY_DOCUMENT = {
    "submit_proof": "is sent by attaching the training certificate or the credit "
    "report to the case",
}
_HANDLERS = {
    "review": _review,
    "request_confirmation": _request_confirmation,
    "confirm": _confirm,
    "withdraw": _withdraw,
    "expire_proof": expire_escalated_proof,
}
#: Service events the office may send itself once the named deadline has escalated
#: (a provisional deadline passed; see ``commitment_deadlines``).
ESCALATION_DECISIONS = {"expire_proof": "training_proof"}
#: The events a caller may send; the machine's others are the service's own.
CALLER_EVENTS = frozenset(_HANDLERS) - set(ESCALATION_DECISIONS)


def unmet_conditions(wf, uow: UnitOfWork, case: CaseData, record: PenaltyData, now):
    """Every condition of the one-time notice that the case does not meet."""
    kinds = uow.cases.document_kinds(case.id)
    facts = RecordFacts(
        penalty_class=record.penalty_class,
        decision_date=record.decision_date,
        published_on=record.published_on,
        is_published=record.is_published,
        published_where=record.published_where,
        fulfilled=None,
    )
    company = uow.bars.of(case.company_id)
    today = now.astimezone(BUSINESS_TZ).date()
    regime = wf.regime_for(case.regime)
    unmet = check_eligibility(
        facts, company, Procedure.COMMITMENT, regime, today, kinds
    )
    return unmet + overdue_proof(wf, case, kinds, now)


def _confirmation_inputs(inputs: dict, case: CaseData) -> tuple[bool, str]:
    problems = {}
    fulfilled = inputs.get("fulfilled")
    if not isinstance(fulfilled, bool):
        problems["fulfilled"] = "required: true or false"
    confirmed = inputs.get("penalty_class") or case.penalty_class
    if confirmed not in (PenaltyClass.GENERAL, PenaltyClass.SEVERE):
        problems["penalty_class"] = (
            f"{confirmed!r} cannot be repaired by commitment; use general or severe"
        )
    if problems:
        raise InvalidInput(problems)
    return fulfilled, str(confirmed)


def _has_proof(uow: UnitOfWork, case: CaseData) -> bool:
    return uow.cases.document_kinds(case.id) >= PROOF_DOCUMENTS


def _require_own_department(actor: Actor, department: str) -> None:
    if actor.role == "office":
        return
    if actor.role != "department" or actor.department != department:
        raise Forbidden(
            actor.label, f"only department {department} may confirm this record"
        )
