"""Instant national repair, "0 working days" (0工作日).

For records on the national site (信用中国). The office's preliminary review runs
the moment an application arrives: an eligible application is forwarded to the
province and the nation for re-review, anything else is returned with a one-time
notice and may be resubmitted. The upper level's answer closes the case.
"""

from statemachine import State, StateMachine


class InstantMachine(StateMachine):
    """Lifecycle of one instant-repair case.

    The preliminary review's guard takes ``unmet`` (the codes of the one-time
    notice) as a keyword argument of the event.
    """

    submitted = State("已提交申请", value="submitted", initial=True)
    forwarded = State("已报送上级复核", value="forwarded")
    returned = State("已退回补正", value="returned")
    repaired = State("修复完成", value="repaired", final=True)
    refused = State("上级不予修复", value="refused", final=True)
    withdrawn = State("已撤回", value="withdrawn", final=True)

    prelim_review = submitted.to(forwarded, cond="is_eligible") | submitted.to(
        returned, unless="is_eligible"
    )
    resubmit = returned.to(submitted)
    repair = forwarded.to(repaired)
    refuse = forwarded.to(refused)
    flag_overdue = forwarded.to.itself(internal=True)
    withdraw = returned.to(withdrawn)

    def is_eligible(self, unmet=()) -> bool:
        """Preliminary review passed: no condition of the one-time notice is unmet."""
        return not unmet
