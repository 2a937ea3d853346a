"""One database transaction behind the service layer's ``UnitOfWork`` port."""

from sqlalchemy import Connection, Engine

from credit_repair.persistence.stores.audit import SqlAuditLog
from credit_repair.persistence.stores.batches import SqlBatchStore
from credit_repair.persistence.stores.cases import SqlCaseStore
from credit_repair.persistence.stores.deadlines import SqlDeadlineStore
from credit_repair.persistence.stores.housekeeping import SqlHousekeepingStore
from credit_repair.persistence.stores.outbox import (
    SqlBarList,
    SqlOutbox,
    SqlPublicationFeed,
)
from credit_repair.persistence.stores.records import SqlPenaltyStore


class SqlUnitOfWork:
    """Opens a transaction on enter; rolls back on exit unless committed."""

    def __init__(self, engine: Engine, clock) -> None:
        self.engine = engine
        self.clock = clock

    @classmethod
    def joining(cls, conn: Connection, clock) -> "SqlUnitOfWork":
        """The stores of a unit of work on ``conn``, inside a transaction that the
        caller began and commits (an import chunk); not a context manager."""
        uow = cls(conn.engine, clock)
        uow._attach(conn)
        return uow

    def __enter__(self) -> "SqlUnitOfWork":
        self.connection = self.engine.connect()
        self.transaction = self.connection.begin()
        self._attach(self.connection)
        return self

    def _attach(self, conn: Connection) -> None:
        heads = {}  # audit stream heads known in this transaction
        self.cases = SqlCaseStore(conn, lock=True, heads=heads)
        self.penalties = SqlPenaltyStore(conn)
        self.deadlines = SqlDeadlineStore(conn, self.clock)
        self.audit = SqlAuditLog(conn, heads)
        self.publication = SqlPublicationFeed(conn)
        self.bars = SqlBarList(conn)
        self.outbox = SqlOutbox(conn)
        self.housekeeping = SqlHousekeepingStore(conn)
        self.batches = SqlBatchStore(conn)

    def __exit__(self, *exc: object) -> None:
        try:
            if self.transaction.is_active:
                self.transaction.rollback()
        finally:
            self.connection.close()

    def commit(self) -> None:
        self.transaction.commit()
