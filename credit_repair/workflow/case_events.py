"""Which events of a case or batch a caller may send, and which the service sends
itself: the deadlines' (escalate, expire_proof, flag_overdue, a batch's phase
ends), the preliminary review (prelim_review), screening (open_confirmation) and
submit_proof, which attaching a document sends. The office may send some of the
service's events itself once the deadline behind them is ripe: escalated for a
case, past for a batch."""

from credit_repair.workflow import commitment, instant

#: Batch events that callers cause through routes and commands: departments'
#: answers, the office's exclusions and approval, objections, cancelling.
BATCH_CALLER_EVENTS = frozenset(
    {"receive_answers", "exclude", "approve", "receive_objection", "cancel"}
)

SENT_BY_CALLERS = {
    "commitment": commitment.CALLER_EVENTS,
    "instant": instant.CALLER_EVENTS,
    "batch": BATCH_CALLER_EVENTS,
}

#: Service events the office may send itself, each once the deadline of the
#: named kind is ripe.
TAKEN_OVER = {
    "commitment": commitment.ESCALATION_DECISIONS,
    "batch": {"close_confirmation": "confirmation", "complete": "notice"},
}


def split_events(
    procedure: str, events: list[str], ripe: frozenset[str] = frozenset()
) -> tuple[list[str], list[str]]:
    """``events`` as those a caller may send and those the service sends;
    ``ripe`` names the kinds of deadline the office may now act on itself."""
    taken_over = TAKEN_OVER.get(procedure, {})
    callers = SENT_BY_CALLERS.get(procedure, frozenset()) | {
        event for event, kind in taken_over.items() if kind in ripe
    }
    return (
        [event for event in events if event in callers],
        [event for event in events if event not in callers],
    )
