"""Commitment repair, "repair first, prove later" (先修复后证明).

The record goes offline as soon as the office accepts the commitment letter; the
penalising department then confirms that the penalty was carried out, and a severe
record also needs a training certificate and a credit repair report in time.
"""

from statemachine import State, StateMachine


class CommitmentMachine(StateMachine):
    """Lifecycle of one commitment-repair case.

    Guards take the decision inputs as keyword arguments of the event:
    ``unmet`` (review), ``fulfilled`` / ``needs_training_proof`` /
    ``has_all_documents`` (confirm, submit_proof).
    """

    submitted = State("已提交承诺书", value="submitted", initial=True)
    taken_down = State("已下线", value="taken_down")
    awaiting_confirmation = State("待部门确认", value="awaiting_confirmation")
    awaiting_training_proof = State("待补交培训证明", value="awaiting_training_proof")
    effective = State("修复生效", value="effective", final=True)
    relisted_barred = State("重新上线并禁用", value="relisted_barred", final=True)
    rejected = State("审核未通过", value="rejected", final=True)
    withdrawn = State("已撤回", value="withdrawn", final=True)

    review = submitted.to(taken_down, cond="is_eligible") | submitted.to(
        rejected, unless="is_eligible"
    )
    request_confirmation = taken_down.to(awaiting_confirmation)
    confirm = (
        awaiting_confirmation.to(relisted_barred, unless="is_fulfilled")
        | awaiting_confirmation.to(
            awaiting_training_proof, cond=["is_fulfilled", "is_missing_training_proof"]
        )
        | awaiting_confirmation.to(effective, cond="is_fulfilled")
    )
    submit_proof = (
        awaiting_training_proof.to(effective, cond="has_all_documents")
        | awaiting_training_proof.to.itself(internal=True)
        | submitted.to.itself(internal=True)
        | taken_down.to.itself(internal=True)
        | awaiting_confirmation.to.itself(internal=True)
    )
    expire_proof = (
        awaiting_training_proof.to(relisted_barred)
        | taken_down.to(relisted_barred)
        | awaiting_confirmation.to(relisted_barred)
    )
    escalate = (
        taken_down.to.itself(internal=True)
        | awaiting_confirmation.to.itself(internal=True)
        | awaiting_training_proof.to.itself(internal=True)
    )
    withdraw = (
        submitted.to(withdrawn)
        | taken_down.to(withdrawn)
        | awaiting_confirmation.to(withdrawn)
        | awaiting_training_proof.to(withdrawn)
    )

    def is_eligible(self, unmet=()) -> bool:
        """Review passed: no condition of the one-time notice is unmet."""
        return not unmet

    def is_fulfilled(self, fulfilled: bool = False) -> bool:
        """The department confirmed that the penalty was carried out in full."""
        return bool(fulfilled)

    def has_all_documents(self, has_all_documents: bool = False) -> bool:
        """Both the training certificate and the credit report are in."""
        return bool(has_all_documents)

    def is_missing_training_proof(
        self, needs_training_proof: bool = False, has_all_documents: bool = False
    ) -> bool:
        """A severe record whose training proof is still incomplete."""
        return needs_training_proof and not has_all_documents
