"""Outbound tables written in the case's transaction: the publication-change feed,
the bar list and notifications."""

from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select

from credit_repair.persistence.tables import Bar, Notification, PublicationChange
from credit_repair.workflow.eligibility import CompanyFacts

FEED = PublicationChange.__table__
BAR = Bar.__table__
NOTIFICATION = Notification.__table__

_APPEND = insert(FEED)
_BAR_OF = select(BAR.c.reason, BAR.c.case_id).where(
    BAR.c.company_id == bindparam("company_id")
)
_BAR = insert(BAR)
_NOTIFY = insert(NOTIFICATION)


class SqlPublicationFeed:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def append(self, penalty_id, action, published, reason, stream, at) -> int:
        values = {
            "penalty_id": penalty_id,
            "action": action,
            "published": published,
            "reason": reason,
            "stream": stream,
            "occurred_at": at,
        }
        return self.conn.execute(_APPEND, values).inserted_primary_key[0]


class SqlBarList:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def of(self, company_id: int) -> CompanyFacts:
        bar = self.conn.execute(_BAR_OF, {"company_id": company_id}).first()
        if bar is None:
            return CompanyFacts()
        return CompanyFacts(True, bar.reason, bar.case_id)

    def add(self, company_id: int, case_id: int, reason: str, at: datetime) -> None:
        values = {
            "company_id": company_id,
            "case_id": case_id,
            "reason": reason,
            "barred_at": at,
        }
        self.conn.execute(_BAR, values)


class SqlOutbox:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def notify(self, recipient, kind, text, stream, at, payload=None) -> int:
        values = {
            "recipient": recipient,
            "kind": kind,
            "text": text,
            "stream": stream,
            "status": "pending",
            "created_at": at,
            "payload": payload or {},
        }
        return self.conn.execute(_NOTIFY, values).inserted_primary_key[0]
