"""Records past their maximum period leave the portal in the transaction of the
import chunk that stores them (长效机制), audited in the record's stream, in the
publication-change feed and to the company exactly as the daily housekeeping does,
so that no imported record is published past its maximum even for a moment."""

from sqlalchemy import Connection

from credit_repair.persistence.unit_of_work import SqlUnitOfWork
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import BUSINESS_TZ
from credit_repair.workflow.housekeeping import expire_stored
from credit_repair.workflow.model import Actor


class PastMaximumExpiry:
    """The ``expire`` of an import: judged on the business date of ``wf``'s clock
    under its active regime, acting as ``actor`` (who imports)."""

    def __init__(self, wf: Workflow, actor: Actor) -> None:
        self.wf = wf
        self.actor = actor

    def __call__(
        self, conn: Connection, identity_keys: list[str], run_id: int | None
    ) -> int:
        uow = SqlUnitOfWork.joining(conn, self.wf.clock)
        as_of = self.wf.clock.now().astimezone(BUSINESS_TZ).date()
        noted = {"import_run_id": run_id}
        expired = expire_stored(self.wf, uow, identity_keys, as_of, self.actor, noted)
        return len(expired)
