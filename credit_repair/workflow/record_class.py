"""A department's confirmation of a penalty record's class (失信类别), kept on the
record itself with a reason naming the case, and noted in the record's own audit
stream (``record:ID``) in the same transaction as the confirmation."""

from datetime import datetime

from credit_repair.workflow.model import Actor, AuditFact, CaseData, PenaltyData
from credit_repair.workflow.ports import UnitOfWork
from credit_repair.workflow.regimes import PenaltyClass

RECORD_MACHINE = "record"
CLASS_NAMES = {
    PenaltyClass.GENERAL: "一般失信",
    PenaltyClass.SEVERE: "严重失信",
}


def confirmed_class_reason(
    record: PenaltyData, case: CaseData, penalty_class: str
) -> str:
    """``严重失信：处罚机关…在信用修复案件12中确认``."""
    name = CLASS_NAMES[PenaltyClass(penalty_class)]
    return f"{name}：处罚机关{record.department_name}在信用修复案件{case.id}中确认"


def keep_confirmed_class(
    uow: UnitOfWork,
    record: PenaltyData,
    penalty_class: str,
    case: CaseData,
    actor: Actor,
    now: datetime,
) -> bool:
    """Store the class the department confirmed on the record when it differs
    from the stored one; returns whether the record changed."""
    if penalty_class == record.penalty_class:
        return False
    reason = confirmed_class_reason(record, case, penalty_class)
    uow.penalties.reclassify(record.id, penalty_class, reason, case.id, now)
    uow.audit.append(
        AuditFact(
            stream=f"{RECORD_MACHINE}:{record.id}",
            machine=RECORD_MACHINE,
            event="class_confirmed",
            source=None,
            target=None,
            actor=actor.label,
            actor_role=actor.role,
            occurred_at=now,
            payload={
                "case": case.stream,
                "penalty_class": penalty_class,
                "class_reason": reason,
                "previous": {
                    "penalty_class": record.penalty_class,
                    "class_reason": record.class_reason,
                },
            },
            regime=case.regime,
            regime_version=case.regime_version,
        )
    )
    return True
