"""Quarterly batch repair (批量主动修复): one batch of screened records, from the
departments' confirmations through the office's review and the public notice.

Item-level actions (answers, exclusions, objections) leave the batch in its state;
they are internal transitions so that the batch's own log shows each of them.
"""

from statemachine import State, StateMachine


class BatchMachine(StateMachine):
    """Lifecycle of one batch; its items run on ``BatchItemMachine``."""

    screening = State("筛选中", value="screening", initial=True)
    awaiting_confirmation = State("待部门确认", value="awaiting_confirmation")
    under_review = State("信用办复核中", value="under_review")
    announced = State("公示中", value="announced")
    completed = State("已完成", value="completed", final=True)
    cancelled = State("已取消", value="cancelled", final=True)

    open_confirmation = screening.to(awaiting_confirmation)
    receive_answers = awaiting_confirmation.to.itself(internal=True)
    close_confirmation = awaiting_confirmation.to(under_review)
    exclude = under_review.to.itself(internal=True)
    escalate = awaiting_confirmation.to.itself(internal=True)
    escalate |= under_review.to.itself(internal=True)
    escalate |= announced.to.itself(internal=True)
    approve = under_review.to(announced)
    receive_objection = announced.to.itself(internal=True)
    complete = announced.to(completed)
    cancel = (
        screening.to(cancelled)
        | awaiting_confirmation.to(cancelled)
        | under_review.to(cancelled)
        | announced.to(cancelled)
    )
