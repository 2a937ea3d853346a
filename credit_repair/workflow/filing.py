"""Filing a new case for a penalty record: the case row at version 1, its
documents, and the first row of its audit stream, inside the caller's unit of work."""

from datetime import datetime

from credit_repair.workflow.context import Workflow
from credit_repair.workflow.documents import receive_document
from credit_repair.workflow.intake import document_fact
from credit_repair.workflow.model import Actor, CaseData, DocumentData, PenaltyData
from credit_repair.workflow.ports import UnitOfWork
from credit_repair.workflow.transitions import record_creation

Documents = list[tuple[str, str, bytes]]


def store_documents(
    uow: UnitOfWork, case: CaseData, documents: Documents, at: datetime
) -> list[DocumentData]:
    """Receive (kind, name, content) triples and store them with the case."""
    stored = [
        receive_document(kind, name, content, at) for kind, name, content in documents
    ]
    for document in stored:
        uow.cases.add_document(case.id, document)
    return stored


def file_case(
    wf: Workflow,
    uow: UnitOfWork,
    procedure: str,
    record: PenaltyData,
    channel: str,
    received_at: datetime,
    documents: Documents,
    actor: Actor,
) -> CaseData:
    """A new case in ``submitted`` under the active regime, with its creation row."""
    now = wf.clock.now()
    case = CaseData(
        procedure=procedure,
        state="submitted",
        penalty_id=record.id,
        company_id=record.company_id,
        department_id=record.department_id,
        regime=wf.regime.name,
        regime_version=wf.regime.version,
        channel=channel,
        received_at=received_at,
        penalty_class=record.penalty_class,
        created_at=now,
        updated_at=now,
    )
    case.id = uow.cases.add(case)
    case.version = 1
    stored = store_documents(uow, case, documents, received_at)
    record_creation(
        uow,
        case,
        actor,
        {
            "channel": channel,
            "received_at": received_at.isoformat(),
            "penalty_class": record.penalty_class,
            "documents": [document_fact(d) for d in stored],
        },
    )
    return case
