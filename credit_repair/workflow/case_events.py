"""Which events of a case a caller may send, and which the service sends itself:
the deadlines' (escalate, expire_proof, flag_overdue), the preliminary review
(prelim_review) and submit_proof, which attaching a document sends."""

from credit_repair.workflow import commitment, instant

SENT_BY_CALLERS = {
    "commitment": commitment.CALLER_EVENTS,
    "instant": instant.CALLER_EVENTS,
}


def split_events(procedure: str, events: list[str]) -> tuple[list[str], list[str]]:
    """``events`` as those a caller may send and those the service sends."""
    callers = SENT_BY_CALLERS.get(procedure, frozenset())
    return (
        [event for event in events if event in callers],
        [event for event in events if event not in callers],
    )
