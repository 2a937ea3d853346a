"""SQLModel tables. Importing this package registers every table on ``SQLModel.metadata``."""

from credit_repair.persistence.tables.imports import ImportRun
from credit_repair.persistence.tables.log import AuditEntry, Notification, PublicationChange
from credit_repair.persistence.tables.records import (
    CalendarDay,
    Company,
    Department,
    PenaltyRecord,
)
from credit_repair.persistence.tables.cases import Bar, Case, Deadline, Document

__all__ = [
    "AuditEntry",
    "Bar",
    "CalendarDay",
    "Case",
    "Company",
    "Deadline",
    "Department",
    "Document",
    "ImportRun",
    "Notification",
    "PenaltyRecord",
    "PublicationChange",
]
