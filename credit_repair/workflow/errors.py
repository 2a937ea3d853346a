"""Domain errors. Each says when it is raised and keeps its identifiers."""

from collections.abc import Sequence


class CreditRepairError(Exception):
    """Root of every error the service layer raises on purpose."""

    code = "error"


class NotFound(CreditRepairError):
    """Raised when a case, record, batch or other entity does not exist."""

    code = "not_found"

    def __init__(self, entity: str, identifier: object) -> None:
        super().__init__(f"{entity} {identifier} does not exist")
        self.entity = entity
        self.identifier = identifier


class TransitionNotAllowed(CreditRepairError):
    """Raised when an event is sent to a case whose state does not accept it."""

    code = "transition_not_allowed"

    def __init__(
        self, subject: str, event: str, state: str, allowed: Sequence[str]
    ) -> None:
        super().__init__(
            f"{subject}: event {event!r} is not allowed in state {state!r}; "
            f"allowed: {', '.join(allowed) or 'none (the case is closed)'}"
        )
        self.subject = subject
        self.event = event
        self.state = state
        self.allowed = list(allowed)


class VersionConflict(CreditRepairError):
    """Raised when a case changed since the caller read it (optimistic locking)."""

    code = "version_conflict"

    def __init__(self, subject: str, expected: int | None, actual: int | None) -> None:
        super().__init__(
            f"{subject} was changed by someone else: expected version {expected}, "
            f"found {actual}; reload and try again"
        )
        self.subject = subject
        self.expected = expected
        self.actual = actual


class CorruptState(CreditRepairError):
    """Raised when a stored state is empty or unknown to its machine."""

    code = "corrupt_state"

    def __init__(self, subject: str, machine: str, value: object) -> None:
        super().__init__(
            f"{subject}: stored state {value!r} is not a state of machine {machine!r}"
        )
        self.subject = subject
        self.machine = machine
        self.value = value


class InvalidInput(CreditRepairError):
    """Raised when a use case gets input that breaks a rule; names each field."""

    code = "invalid_input"

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(
            "; ".join(f"{field}: {problem}" for field, problem in problems.items())
        )
        self.problems = dict(problems)


class ConditionsUnmet(CreditRepairError):
    """Raised when an application fails conditions; lists every one (一次性告知)."""

    code = "conditions_unmet"

    def __init__(self, subject: str, unmet: Sequence) -> None:
        codes = ", ".join(u.code for u in unmet)
        super().__init__(f"{subject}: conditions not met: {codes}")
        self.subject = subject
        self.unmet = list(unmet)


class ResubmissionRefused(ConditionsUnmet):
    """Raised when a returned application is resubmitted although it fails a
    condition the company cannot meet (the record is not on the national site, is
    past its maximum period …); ``unmet`` lists those conditions."""

    def __init__(self, subject: str, unmet: Sequence) -> None:
        codes = ", ".join(u.code for u in unmet)
        CreditRepairError.__init__(
            self,
            f"{subject} cannot be resubmitted: no document or resubmission meets "
            f"{codes}; withdraw it instead",
        )
        self.subject = subject
        self.unmet = list(unmet)


class Forbidden(CreditRepairError):
    """Raised when an actor acts outside its role or on another department's record."""

    code = "forbidden"

    def __init__(self, actor: str, reason: str) -> None:
        super().__init__(f"{actor}: {reason}")
        self.actor = actor
        self.reason = reason


class Conflict(CreditRepairError):
    """Raised when an action breaks a uniqueness rule (one open case per record)."""

    code = "conflict"

    def __init__(self, subject: str, reason: str) -> None:
        super().__init__(f"{subject}: {reason}")
        self.subject = subject
        self.reason = reason
