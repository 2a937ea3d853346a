"""Outbound tables written in the case's transaction: the publication-change feed,
the bar list and notifications."""

from datetime import datetime

from sqlalchemy import Connection, insert, select

from credit_repair.persistence.tables import Bar, Notification, PublicationChange

FEED = PublicationChange.__table__
BAR = Bar.__table__
NOTIFICATION = Notification.__table__


class SqlPublicationFeed:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def append(self, penalty_id, action, published, reason, stream, at) -> int:
        return self.conn.execute(
            insert(FEED)
            .values(
                penalty_id=penalty_id,
                action=action,
                published=published,
                reason=reason,
                stream=stream,
                occurred_at=at,
            )
            .returning(FEED.c.seq)
        ).scalar_one()


class SqlBarList:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def reason(self, company_id: int) -> str | None:
        return self.conn.execute(
            select(BAR.c.reason).where(BAR.c.company_id == company_id)
        ).scalar()

    def add(self, company_id: int, case_id: int, reason: str, at: datetime) -> None:
        self.conn.execute(
            insert(BAR).values(
                company_id=company_id, case_id=case_id, reason=reason, barred_at=at
            )
        )


class SqlOutbox:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def notify(self, recipient, kind, text, stream, at, payload=None) -> int:
        return self.conn.execute(
            insert(NOTIFICATION)
            .values(
                recipient=recipient,
                kind=kind,
                text=text,
                stream=stream,
                status="pending",
                created_at=at,
                payload=payload or {},
            )
            .returning(NOTIFICATION.c.id)
        ).scalar_one()
