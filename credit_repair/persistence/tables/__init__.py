"""SQLModel tables; importing this package registers all of them."""

from credit_repair.persistence.tables.auth import ApiToken, IdempotencyKey
from credit_repair.persistence.tables.batches import Batch, BatchItem
from credit_repair.persistence.tables.cases import Bar, Case, Deadline, Document
from credit_repair.persistence.tables.imports import ImportRun
from credit_repair.persistence.tables.log import (
    AuditEntry,
    Notification,
    PublicationChange,
)
from credit_repair.persistence.tables.records import (
    CalendarDay,
    Company,
    Department,
    PenaltyRecord,
)

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Bar",
    "Batch",
    "BatchItem",
    "CalendarDay",
    "Case",
    "Company",
    "Deadline",
    "Department",
    "Document",
    "IdempotencyKey",
    "ImportRun",
    "Notification",
    "PenaltyRecord",
    "PublicationChange",
]
