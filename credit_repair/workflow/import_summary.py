"""The one summary an import of a penalty file ends with, whether it finished or not.

Counts cover committed chunks only, so they always match what is in the database:
``read == imported + updated + unchanged + rejected``.
"""

from collections import Counter
from dataclasses import dataclass, field

from credit_repair.workflow.noise import Rejection

EXAMPLE_ROWS = 5


@dataclass(frozen=True)
class WarningNote:
    """What a warning found in one row, in words."""

    row: int
    kind: str
    detail: str

    def as_dict(self) -> dict:
        return {"row": self.row, "kind": self.kind, "detail": self.detail}


@dataclass
class ChunkOutcome:
    """What storing one chunk of drafts did; ``warnings`` are what only the stored
    data could show (a party whose USCC is stored under another name)."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    updated_rows: list[int] = field(default_factory=list)
    companies_created: int = 0
    departments_created: int = 0
    warnings: list[WarningNote] = field(default_factory=list)
    expired: int = 0


@dataclass
class ChunkTally:
    """What reading one chunk of source rows found, before it is stored."""

    read: int = 0
    last_row: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warnings: Counter = field(default_factory=Counter)
    warning_rows: dict[str, list[int]] = field(default_factory=dict)
    warning_notes: list[WarningNote] = field(default_factory=list)
    classes: Counter = field(default_factory=Counter)

    def warn(
        self, row: int, kinds: tuple[str, ...], notes: dict[str, str] | None = None
    ) -> None:
        self.warnings.update(kinds)
        for kind in kinds:
            examples = self.warning_rows.setdefault(kind, [])
            if len(examples) < EXAMPLE_ROWS:
                examples.append(row)
        for kind, detail in (notes or {}).items():
            self.warning_notes.append(WarningNote(row, kind, detail))


@dataclass
class ImportSummary:
    """Read, imported, updated, unchanged and rejected rows, warnings by kind, and how
    far the import got. JSON-ready through ``as_dict``."""

    filename: str
    layout: str
    published_where: str
    dry_run: bool
    started_at: str
    file_sha256: str = ""
    encoding: str | None = None
    run_id: int | None = None
    ignored_columns: list[str] = field(default_factory=list)
    read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warnings_by_kind: Counter = field(default_factory=Counter)
    warning_rows: dict[str, list[int]] = field(default_factory=dict)
    warning_notes: list[WarningNote] = field(default_factory=list)
    by_class: Counter = field(default_factory=Counter)
    updated_rows: list[int] = field(default_factory=list)
    companies_created: int = 0
    departments_created: int = 0
    expired: int = 0
    chunks_committed: int = 0
    last_committed_row: int | None = None
    completed: bool = False
    stopped_because: str | None = None

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    @property
    def rejected_by_reason(self) -> Counter:
        return Counter(rejection.reason for rejection in self.rejections)

    def absorb(self, tally: ChunkTally, outcome: ChunkOutcome) -> None:
        """Add a committed chunk."""
        self.read += tally.read
        self.rejections += tally.rejections
        self.warnings_by_kind += tally.warnings
        for kind, rows in tally.warning_rows.items():
            examples = self.warning_rows.setdefault(kind, [])
            examples += rows[: EXAMPLE_ROWS - len(examples)]
        self.warning_notes += tally.warning_notes
        for note in outcome.warnings:
            self.warnings_by_kind[note.kind] += 1
            examples = self.warning_rows.setdefault(note.kind, [])
            if len(examples) < EXAMPLE_ROWS:
                examples.append(note.row)
            self.warning_notes.append(note)
        self.by_class += tally.classes
        self.imported += outcome.imported
        self.updated += outcome.updated
        self.unchanged += outcome.unchanged
        self.updated_rows += outcome.updated_rows
        self.companies_created += outcome.companies_created
        self.departments_created += outcome.departments_created
        self.expired += outcome.expired
        if not self.dry_run:  # a dry run checks its chunks and commits none
            self.chunks_committed += 1
            self.last_committed_row = tally.last_row

    def stop(self, cause: BaseException) -> None:
        """Record that the import stopped early, and why."""
        self.completed = False
        name = type(cause).__name__
        self.stopped_because = f"{name}: {cause}" if str(cause) else name

    def as_dict(self) -> dict:
        return {
            "filename": self.filename,
            "layout": self.layout,
            "published_where": self.published_where,
            "dry_run": self.dry_run,
            "started_at": self.started_at,
            "file_sha256": self.file_sha256,
            "encoding": self.encoding,
            "run_id": self.run_id,
            "ignored_columns": list(self.ignored_columns),
            "read": self.read,
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "rejected_by_reason": dict(sorted(self.rejected_by_reason.items())),
            "warnings_by_kind": dict(sorted(self.warnings_by_kind.items())),
            "warning_rows": dict(sorted(self.warning_rows.items())),
            "warning_notes": [note.as_dict() for note in self.warning_notes],
            "by_class": dict(sorted(self.by_class.items())),
            "updated_rows": list(self.updated_rows),
            "companies_created": self.companies_created,
            "departments_created": self.departments_created,
            "expired": self.expired,
            "chunks_committed": self.chunks_committed,
            "last_committed_row": self.last_committed_row,
            "completed": self.completed,
            "stopped_because": self.stopped_because,
            "rejections": [rejection.as_dict() for rejection in self.rejections],
        }
