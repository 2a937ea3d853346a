"""A reference model of commitment repair (先修复后证明), written from DESIGN.md §3.1,
§2 and §4 and not from the service's code: states, what each event does, which
records are published, which companies are barred, and when each deadline is
due (working days straight from ``chinese_calendar``). Errors are predicted by
name: version_conflict, forbidden, invalid_input, transition_not_allowed,
conflict."""

import calendar
import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
TAKEN_DOWN = ("taken_down", "awaiting_confirmation", "awaiting_training_proof")
OPEN = ("submitted", *TAKEN_DOWN)
PROOF = {"training_certificate", "credit_report"}
MONTHS = {"general": (3, 12), "severe": (6, 36), "specific_severe": (36, 36)}
ESCALATING = ("request_confirmation", "department_answer", "department_reminder")


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), SHANGHAI).astimezone(UTC)


def working_days_after(instant: datetime, count: int) -> datetime:
    """24:00 of the count-th working day strictly after the instant's local date."""
    day = instant.astimezone(SHANGHAI).date()
    while count:
        day += timedelta(days=1)
        count -= chinese_calendar.is_workday(day)
    return _end_of(day)


def days_after(instant: datetime, count: int) -> datetime:
    """24:00 of local date + count, moved on to the next working day's end."""
    day = instant.astimezone(SHANGHAI).date() + timedelta(days=count)
    while not chinese_calendar.is_workday(day):
        day += timedelta(days=1)
    return _end_of(day)


def months_later(day: date, months: int) -> date:
    """Civil Code: the same day-number ``months`` later, or that month's last day."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class Record:
    company: str
    department: str
    penalty_class: str
    decided: date
    published: bool = True


@dataclass
class Case:
    record: int
    state: str
    penalty_class: str
    received_at: datetime
    documents: set[str]
    version: int = 1
    escalated: bool = False
    pending: dict[str, tuple[datetime, int]] = field(default_factory=dict)


class Refused(Exception):
    """The model's prediction that the service refuses, by error code."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class CommitmentModel:
    def __init__(self, records: list[Record]) -> None:
        self.records = records
        self.cases: dict[int, Case] = {}
        self.barred: set[str] = set()
        self._order = itertools.count()

    def has_open_case(self, record: int) -> bool:
        """One open case per record: a second application is a conflict."""
        return any(c.record == record and c.state in OPEN for c in self.cases.values())

    def submit(self, case_id, record, documents, received_at) -> None:
        klass = self.records[record].penalty_class
        self.cases[case_id] = Case(
            record, "submitted", klass, received_at, set(documents)
        )

    def unmet(self, case: Case, now: datetime) -> list[str]:
        record = self.records[case.record]
        today = now.astimezone(SHANGHAI).date()
        minimum, maximum = MONTHS[record.penalty_class]
        unmet = [] if record.published else ["not_published"]
        unmet += ["company_barred"] if record.company in self.barred else []
        if today > months_later(record.decided, maximum):
            unmet.append("past_maximum_period")
        elif record.penalty_class == "specific_severe":
            unmet.append("specific_severe")
        elif today <= months_later(record.decided, minimum):
            unmet.append("minimum_period_not_reached")
        if "commitment_letter" not in case.documents:
            unmet.append("commitment_letter_missing")
        late = days_after(case.received_at, 7) <= now
        if case.penalty_class == "severe" and late and not case.documents >= PROOF:
            unmet.append("training_proof_overdue")  # taking it down would bar
        return unmet

    def review(self, case: Case, role: str, now: datetime) -> None:
        self._require(role, "office")
        self._move(case, ("submitted",))
        if self.unmet(case, now):
            case.state = "rejected"
            return
        case.state = "taken_down"
        self.records[case.record].published = False
        self._due(case, "request_confirmation", working_days_after(now, 1))
        if case.penalty_class == "severe" and not case.documents >= PROOF:
            self._due(case, "training_proof", days_after(case.received_at, 7))

    def request_confirmation(self, case: Case, role: str, now: datetime) -> None:
        self._require(role, "office")
        self._move(case, ("taken_down",))
        case.state = "awaiting_confirmation"
        case.pending.pop("request_confirmation", None)
        self._due(case, "department_answer", working_days_after(now, 1))

    def confirm(self, case, role, department, fulfilled, klass, now) -> None:
        own = self.records[case.record].department
        if role != "office" and (role != "department" or department != own):
            raise Refused("forbidden")
        confirmed = klass or case.penalty_class
        if confirmed not in ("general", "severe"):
            raise Refused("invalid_input")
        self._move(case, ("awaiting_confirmation",))
        needs = confirmed == "severe"
        became = confirmed != case.penalty_class
        case.penalty_class = confirmed
        self.records[case.record].penalty_class = confirmed  # kept on the record
        for kind in ("department_answer", "department_reminder"):
            case.pending.pop(kind, None)
        if not fulfilled:
            self._relist_and_bar(case)
        elif needs and not case.documents >= PROOF:
            case.state = "awaiting_training_proof"
            if became or "training_proof" not in case.pending:
                case.pending.pop("training_proof", None)
                self._due(case, "training_proof", days_after(now, 7))
        else:
            case.state = "effective"
            case.pending.clear()

    def attach(self, case: Case, kind: str) -> None:
        self._move(case, OPEN)
        case.documents.add(kind)
        if case.documents >= PROOF:
            case.pending.pop("training_proof", None)
            if case.state == "awaiting_training_proof":
                case.state = "effective"
                case.pending.clear()

    def withdraw(self, case: Case, role: str) -> None:
        self._require(role, "office", "intake")
        source = case.state
        self._move(case, OPEN)
        case.state = "withdrawn"
        case.pending.clear()
        if source in TAKEN_DOWN:
            self.records[case.record].published = True

    def fire_due(self, now: datetime) -> int:
        """Every pending deadline due by ``now``, in due order; how many fired."""
        due = sorted(
            (when, order, case_id, kind)
            for case_id, case in self.cases.items()
            for kind, (when, order) in case.pending.items()
            if when <= now
        )
        fired = 0
        for when, order, case_id, kind in due:
            case = self.cases[case_id]
            if case.pending.get(kind) != (when, order):
                continue
            del case.pending[kind]
            fired += 1
            case.version += 1
            if kind == "training_proof":
                self._relist_and_bar(case)
                continue
            case.escalated = True
            if kind != "request_confirmation":
                reminder = working_days_after(when - timedelta(microseconds=1), 1)
                while reminder <= now:
                    reminder = working_days_after(
                        reminder - timedelta(microseconds=1), 1
                    )
                self._due(case, "department_reminder", reminder)
        return fired

    def _relist_and_bar(self, case: Case) -> None:
        case.state = "relisted_barred"
        case.pending.clear()
        record = self.records[case.record]
        record.published = True
        self.barred.add(record.company)

    def _due(self, case: Case, kind: str, when: datetime) -> None:
        case.pending[kind] = (when, next(self._order))

    @staticmethod
    def _require(role: str, *roles: str) -> None:
        if role not in roles:
            raise Refused("forbidden")

    @staticmethod
    def _move(case: Case, sources) -> None:
        """Refuse unless the case is in one of ``sources``; else one version up."""
        if case.state not in sources:
            raise Refused("transition_not_allowed")
        case.version += 1
