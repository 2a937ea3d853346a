"""One record in a quarterly batch (批量主动修复): confirmed by its department,
possibly excluded on the way, and repaired when the batch completes."""

from statemachine import State, StateMachine


class BatchItemMachine(StateMachine):
    """Lifecycle of one batch item.

    ``answer`` takes the department's answer as the keyword ``fulfilled``.
    """

    candidate = State("待部门确认", value="candidate", initial=True)
    confirmed = State("已确认履行", value="confirmed")
    excluded = State("已排除", value="excluded", final=True)
    repaired = State("已修复", value="repaired", final=True)

    answer = candidate.to(confirmed, cond="is_fulfilled") | candidate.to(
        excluded, unless="is_fulfilled"
    )
    expire = candidate.to(excluded)
    exclude = candidate.to(excluded) | confirmed.to(excluded)
    repair = confirmed.to(repaired)

    def is_fulfilled(self, fulfilled: bool = False) -> bool:
        """The department confirmed that the penalty was carried out in full."""
        return bool(fulfilled)
