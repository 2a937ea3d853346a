"""Work that fell due while the service was down. The real use cases run under a
clock set weeks back, so every row they write is genuine and their deadlines are
already past when a server starts: nothing is forged or edited afterwards."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from credit_repair.persistence.tables import Case
from credit_repair.persistence.unit_of_work import SqlUnitOfWork
from credit_repair.workflow import commitment, instant
from credit_repair.workflow.calendar import WorkingCalendar
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.model import Actor
from credit_repair.workflow.regimes import load_regime
from tests.conftest import FakeClock
from tests.factories import make_record

OFFICE = Actor("王芳", "office")
INTAKE = Actor("portal", "intake")
LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF commitment letter")
WEEKS_BACK = timedelta(days=20)
#: Due deadlines each group of backlog cases leaves: request_confirmation (a),
#: department_answer (b), request_confirmation and training_proof (c),
#: upper_level_answer (d).
DEADLINES_PER_GROUP = 5


def repairable_decision_date(today: date | None = None) -> date:
    """A decision date past the minimum period of general and severe records and
    within both maximum periods, whenever the suite runs."""
    return (today or datetime.now(UTC).date()) - timedelta(days=300)


def workflow_at(engine, instant_: datetime) -> Workflow:
    """The service layer on ``engine`` with a clock stopped at ``instant_``."""
    clock = FakeClock(instant_)
    return Workflow(
        unit_of_work=lambda: SqlUnitOfWork(engine, clock),
        clock=clock,
        calendar=WorkingCalendar(),
        regime=load_regime("kunming-2020"),
    )


def seed_due_backlog(engine, department_id: int, groups: int) -> dict[str, list[int]]:
    """``groups`` × four cases whose deadlines are due now (see
    ``DEADLINES_PER_GROUP``); the case ids by what will happen to them."""
    now = datetime.now(UTC)
    wf = workflow_at(engine, now - WEEKS_BACK)
    decided = repairable_decision_date()
    made: dict[str, list[int]] = {
        "escalated": [],
        "department_late": [],
        "training_late": [],
        "instant_late": [],
    }

    def record(penalty_class: str = "general", where: str = "city") -> int:
        return make_record(
            engine,
            penalty_class=penalty_class,
            decision_date=decided,
            published_on=decided,
            department_id=department_id,
            published_where=where,
        )

    for _ in range(groups):
        case = commitment.submit(wf, record(), "website", INTAKE, None, [LETTER])
        commitment.fire_event(wf, case.id, "review", OFFICE)
        made["escalated"].append(case.id)

        case = commitment.submit(wf, record(), "website", INTAKE, None, [LETTER])
        for event in ("review", "request_confirmation"):
            commitment.fire_event(wf, case.id, event, OFFICE)
        made["department_late"].append(case.id)

        received = wf.clock.now() - timedelta(days=1)
        case = commitment.submit(
            wf, record("severe"), "email", INTAKE, received, [LETTER]
        )
        commitment.fire_event(wf, case.id, "review", OFFICE)
        made["training_late"].append(case.id)

        applied = instant.apply(wf, record(where="national"), INTAKE, [LETTER])
        assert applied.forwarded, applied.unmet
        made["instant_late"].append(applied.case.id)
    return made


#: The state each kind of backlog case must reach once its deadlines fired, and
#: whether the firing marked it escalated (None: either; a training deadline may
#: fire before or after the escalation that fell due before it).
OUTCOMES = {
    "escalated": ("taken_down", True),
    "department_late": ("awaiting_confirmation", True),
    "training_late": ("relisted_barred", None),
    "instant_late": ("forwarded", True),
}


def backlog_problems(engine, made: dict[str, list[int]]) -> list[str]:
    """Backlog cases that did not end where their fired deadlines lead."""
    table = Case.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.id, table.c.state, table.c.escalated_at))
        found = {r.id: (r.state, r.escalated_at is not None) for r in rows}
    problems = []
    for kind, ids in made.items():
        state, escalated = OUTCOMES[kind]
        for case_id in ids:
            got = found.get(case_id)
            if got is None or got[0] != state or escalated not in (None, got[1]):
                problems.append(f"{kind} case {case_id} is {got}, not {state}")
    return problems
