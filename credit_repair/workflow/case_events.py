"""Which events of a case a caller may send, and which the service sends itself:
the deadlines' (escalate, expire_proof, flag_overdue), the preliminary review
(prelim_review) and submit_proof, which attaching a document sends. The office
may send a deadline's event itself while that deadline has escalated."""

from credit_repair.workflow import commitment, instant

SENT_BY_CALLERS = {
    "commitment": commitment.CALLER_EVENTS,
    "instant": instant.CALLER_EVENTS,
}


DECIDED_ON_ESCALATION = {"commitment": commitment.ESCALATION_DECISIONS}


def split_events(
    procedure: str, events: list[str], escalated: frozenset[str] = frozenset()
) -> tuple[list[str], list[str]]:
    """``events`` as those a caller may send and those the service sends;
    ``escalated`` names the kinds of the case's escalated deadlines."""
    decisions = DECIDED_ON_ESCALATION.get(procedure, {})
    callers = SENT_BY_CALLERS.get(procedure, frozenset()) | {
        event for event, kind in decisions.items() if kind in escalated
    }
    return (
        [event for event in events if event in callers],
        [event for event in events if event not in callers],
    )
