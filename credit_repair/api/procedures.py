"""How the case routes reach each procedure's use cases: filing an application,
sending an event and receiving a document, for commitment repair (承诺修复) and
instant national repair (0工作日) alike."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from credit_repair.api.schemas import EventIn
from credit_repair.workflow import commitment, instant
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.errors import InvalidInput
from credit_repair.workflow.model import Actor

Documents = list[tuple[str, str, bytes]]


@dataclass(frozen=True)
class Handled:
    """The case a use case acted on, its state, and the preliminary review when
    the action ran one (instant repair)."""

    case_id: int
    state: str
    review: dict[str, Any] | None = None


class ProcedureRoutes(Protocol):
    def file(
        self,
        wf: Workflow,
        penalty_id: int,
        channel: str,
        actor: Actor,
        received_at: datetime | None,
        documents: Documents,
    ) -> Handled: ...

    def fire(
        self, wf: Workflow, case_id: int, event: str, actor: Actor, body: EventIn
    ) -> Handled: ...

    def attach(
        self,
        wf: Workflow,
        case_id: int,
        document: tuple[str, str, bytes],
        actor: Actor,
        expected_version: int | None,
    ) -> Handled: ...


class CommitmentRoutes:
    """Commitment repair: documents come with the letter or one at a time."""

    def file(self, wf, penalty_id, channel, actor, received_at, documents) -> Handled:
        case = commitment.submit(
            wf, penalty_id, channel, actor, received_at=received_at, documents=documents
        )
        return Handled(case.id, case.state)

    def fire(self, wf, case_id, event, actor, body: EventIn) -> Handled:
        if body.documents:
            raise InvalidInput(
                {"documents": "commitment cases take documents at /documents"}
            )
        case = commitment.fire_event(
            wf, case_id, event, actor, body.inputs(), body.expected_version
        )
        return Handled(case.id, case.state)

    def attach(self, wf, case_id, document, actor, expected_version) -> Handled:
        case = commitment.attach_document(
            wf, case_id, *document, actor, expected_version
        )
        return Handled(case.id, case.state)


class InstantRoutes:
    """Instant national repair: filing and resubmitting run the preliminary
    review at once, and its outcome comes back with the case. A document sent to
    a returned case resubmits it with that document."""

    def file(self, wf, penalty_id, channel, actor, received_at, documents) -> Handled:
        result = instant.apply(wf, penalty_id, actor, documents, received_at, channel)
        return _reviewed(result)

    def fire(self, wf, case_id, event, actor, body: EventIn) -> Handled:
        if event == "resubmit":
            result = instant.resubmit(
                wf, case_id, actor, body.documents_given(), body.expected_version
            )
            return _reviewed(result)
        if body.documents:
            raise InvalidInput({"documents": "only resubmit takes documents"})
        case = instant.fire_event(
            wf, case_id, event, actor, body.inputs(), body.expected_version
        )
        return Handled(case.id, case.state)

    def attach(self, wf, case_id, document, actor, expected_version) -> Handled:
        result = instant.resubmit(wf, case_id, actor, [document], expected_version)
        return _reviewed(result)


def _reviewed(result: instant.ReviewResult) -> Handled:
    return Handled(result.case.id, result.case.state, result.as_dict())


PROCEDURES: dict[str, ProcedureRoutes] = {
    "commitment": CommitmentRoutes(),
    "instant": InstantRoutes(),
}
