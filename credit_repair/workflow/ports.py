"""Ports: what the use cases need from storage, the clock and the outbox."""

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from credit_repair.workflow.batch_model import (
    BatchData,
    ItemChange,
    ItemData,
    ItemSelection,
)
from credit_repair.workflow.eligibility import CompanyFacts
from credit_repair.workflow.model import (
    AuditFact,
    AuditRow,
    CaseData,
    DeadlineData,
    DocumentData,
    PenaltyData,
    PublishedRecord,
)


class Clock(Protocol):
    """The source of the current instant (aware UTC)."""

    def now(self) -> datetime: ...


class CaseStore(Protocol):
    def get(self, case_id: int) -> CaseData:
        """The case; raises ``NotFound``."""

    def add(self, case: CaseData) -> int:
        """Store a new case at version 1; raises ``Conflict`` when the record
        already has an open case."""

    def update(self, case: CaseData) -> int:
        """Store ``case`` if it is still at ``case.version``; return the new version;
        raises ``VersionConflict``."""

    def documents(self, case_id: int) -> list[DocumentData]: ...

    def document_kinds(self, case_id: int) -> set[str]:
        """The kinds of document the case has, without reading the documents."""

    def add_document(self, case_id: int, document: DocumentData) -> int: ...


class PenaltyStore(Protocol):
    def get(self, penalty_id: int) -> PenaltyData:
        """The record; raises ``NotFound``."""

    def department_code(self, penalty_id: int) -> str:
        """The code of the department that imposed the record's penalty, without
        reading the record; raises ``NotFound``."""

    def set_published(self, penalty_id: int, published: bool, at: datetime) -> None: ...

    def reclassify(
        self,
        penalty_id: int,
        penalty_class: str,
        reason: str,
        case_id: int,
        at: datetime,
    ) -> None:
        """Store the class the department confirmed in case ``case_id`` and the
        reason for it, counting one more row in the record's own audit stream
        (its ``version``)."""


class DeadlineStore(Protocol):
    def add(self, deadline: DeadlineData) -> int: ...

    def for_subject(self, machine: str, subject_id: int) -> list[DeadlineData]: ...

    def settle(
        self,
        machine: str,
        subject_id: int,
        kinds: Sequence[str] | None,
        status: str,
        at: datetime,
    ) -> int:
        """Mark the subject's open deadlines (pending or escalated; of ``kinds``, or
        all) ``status``."""

    def settle_each(
        self,
        machine: str,
        subject_id: int,
        statuses: Mapping[str, str],
        others: str | None,
        at: datetime,
    ) -> int:
        """Mark the subject's pending deadlines of each kind in ``statuses`` with
        that kind's status and all other pending ones ``others`` (None: leave
        them), at once."""

    def claim(self, deadline_id: int, now: datetime) -> DeadlineData | None:
        """Mark a pending deadline that is due as fired; None if it was not."""

    def get(self, deadline_id: int) -> DeadlineData: ...

    def unsettled(self, machines: Sequence[str]) -> list[DeadlineData]:
        """Open deadlines (pending or escalated) of the given machines."""

    def reschedule(self, deadline_id: int, due, status: str = "pending") -> None:
        """Move an open deadline to a recomputed ``deadlines.Deadline``, leaving it
        ``status`` (``pending`` arms it again for the scheduler)."""

    def keep_open(self, deadline_id: int) -> None:
        """Mark a claimed deadline ``escalated`` instead of fired: its provisional
        due passed and staff were told, and the official calendar decides."""


class AuditLog(Protocol):
    def append(self, fact: AuditFact) -> AuditRow: ...

    def stream(self, stream: str) -> list[AuditRow]: ...


class PublicationFeed(Protocol):
    def append(
        self,
        penalty_id: int,
        action: str,
        published: bool,
        reason: str,
        stream: str | None,
        at: datetime,
    ) -> int: ...


class BarList(Protocol):
    def of(self, company_id: int) -> CompanyFacts:
        """Whether the company is barred from commitment repair, why, and by
        which case."""

    def add(self, company_id: int, case_id: int, reason: str, at: datetime) -> None: ...


class Outbox(Protocol):
    def notify(
        self,
        recipient: str,
        kind: str,
        text: str,
        stream: str | None,
        at: datetime,
        payload: dict | None = None,
    ) -> int: ...


class HousekeepingStore(Protocol):
    """Set-based reads over the published records, and taking one offline."""

    def past_maximum(
        self,
        last_starts: Mapping[str, date],
        after_id: int,
        limit: int,
        identity_keys: Collection[str] | None = None,
    ) -> list[PublishedRecord]:
        """Published records, by id after ``after_id``, whose period start (decision
        date, else publication date) is on or before their class's last start;
        only those among ``identity_keys`` when given."""

    def undated(self) -> int:
        """How many published records have neither a decision nor a publication date."""

    def take_offline(self, penalty_id: int, version: int, at: datetime) -> bool:
        """Unpublish the record and count one more row in its audit stream, if it is
        still published at ``version``; False when it changed meanwhile."""

    def same_decision_groups(self) -> list[list[PublishedRecord]]:
        """Published records sharing an authority and a decision number (ignoring
        spaces and bracket styles), group by group."""

    def same_party_date_groups(self) -> list[list[PublishedRecord]]:
        """Published records sharing party, authority and decision date (else
        publication date), group by group."""

    def reported_duplicates(self) -> set[str]:
        """Keys of the duplicate groups the office has already been told about."""


class BatchStore(Protocol):
    """Batches, and their items read and changed set-based in the database."""

    def add(self, batch: BatchData) -> int:
        """Store a new batch at version 1; raises ``Conflict`` when its quarter
        already has one."""

    def get(self, batch_id: int, lock: bool = False) -> BatchData:
        """The batch (locked against concurrent changes until commit when
        ``lock``); raises ``NotFound``."""

    def update(self, batch: BatchData) -> int:
        """Store ``batch`` if still at ``batch.version``; return the new version."""

    def by_quarter(self, quarter: str) -> BatchData | None: ...

    def ids_in_state(self, state: str) -> list[int]: ...

    def record_id_range(self) -> tuple[int, int] | None:
        """Lowest and highest penalty record id, None without records."""

    def screen(
        self,
        batch: BatchData,
        first_id: int,
        last_id: int,
        at: datetime,
        fact: Callable[[str, Mapping[str, Any]], AuditFact],
    ) -> dict[str, int]:
        """Add an item for every record with id in ``first_id..last_id`` that the
        batch's criteria select, each with the creation row ``fact(stream, item)``
        of its audit stream; returns how many per penalty class."""

    def record_screening(
        self, batch_id: int, record_id: int, found: Mapping[str, int]
    ) -> None:
        """Screening is done up to ``record_id``; add ``found`` (items, general,
        severe, marked) to the batch's counts."""

    def items(self, batch_id: int, item_ids: Sequence[int]) -> list[ItemData]: ...

    def departments(self, batch_id: int, state: str) -> dict[str, int]:
        """Department code → number of the batch's items in ``state``."""

    def transition(self, selection: ItemSelection, change: ItemChange) -> int:
        """Send ``change`` to every selected item with one audit row each; returns
        how many items moved."""

    def take_down_repaired(self, batch_id: int, reason: str, at: datetime) -> int:
        """Take offline every still published record of the batch's repaired
        items, through the publication feed; returns how many."""

    def notify_repaired_companies(
        self, batch_id: int, kind: str, text: str, at: datetime
    ) -> int:
        """One notification per company with repaired items; returns how many."""


class UnitOfWork(Protocol):
    """One database transaction; nothing is kept unless ``commit`` is called."""

    cases: CaseStore
    penalties: PenaltyStore
    deadlines: DeadlineStore
    audit: AuditLog
    publication: PublicationFeed
    bars: BarList
    outbox: Outbox
    housekeeping: HousekeepingStore
    batches: BatchStore

    def __enter__(self) -> "UnitOfWork": ...

    def __exit__(self, *exc: object) -> None: ...

    def commit(self) -> None: ...
