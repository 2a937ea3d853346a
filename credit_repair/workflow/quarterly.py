"""The scheduler's regular look at batches: finish any screening a stopped process
left behind, and start the quarter's batch on its start day (or the first run
after it within the catch-up window), once per quarter."""

import contextlib
from dataclasses import dataclass, field

from credit_repair.workflow.batch_model import BatchData
from credit_repair.workflow.batches import continue_screening, start_batch
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.deadlines import BUSINESS_TZ
from credit_repair.workflow.errors import Conflict, TransitionNotAllowed
from credit_repair.workflow.model import SCHEDULER
from credit_repair.workflow.quarters import quarter_due


@dataclass
class QuarterlyRun:
    """What one run did: the batch it started, the screenings it finished."""

    started: BatchData | None = None
    resumed: list[int] = field(default_factory=list)


def run_quarterly(wf: Workflow) -> QuarterlyRun:
    """Resume unfinished screenings, then start the due quarter's batch unless it
    exists. Safe to run as often as wanted, from any number of processes."""
    run = QuarterlyRun()
    with wf.unit_of_work() as uow:
        unfinished = uow.batches.ids_in_state("screening")
    for batch_id in unfinished:
        try:
            continue_screening(wf, batch_id, SCHEDULER)
        except TransitionNotAllowed:
            continue
        run.resumed.append(batch_id)

    today = wf.clock.now().astimezone(BUSINESS_TZ).date()
    quarter = quarter_due(wf.calendar, today)
    if quarter is None:
        return run
    with wf.unit_of_work() as uow:
        if uow.batches.by_quarter(quarter) is not None:
            return run
    with contextlib.suppress(Conflict):  # another process started it first
        run.started = start_batch(wf, SCHEDULER, as_of=today, quarter=quarter)
    return run
