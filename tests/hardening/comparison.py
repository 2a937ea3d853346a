"""The service and the reference model of commitment repair side by side, as a
Hypothesis rule-based state machine: each step is an application, an event on a
case or time passing, run on both, and after each step the service must match
the model (see ``test_model_based``)."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import select

from credit_repair.persistence.db import make_engine
from credit_repair.persistence.stores.deadlines import due_deadline_ids
from credit_repair.persistence.tables import Bar, Case, Deadline, PenaltyRecord
from credit_repair.workflow import commitment
from credit_repair.workflow.errors import CreditRepairError
from credit_repair.workflow.firing import fire_deadline
from credit_repair.workflow.model import Actor
from tests.checks import assert_log_consistent
from tests.conftest import FakeClock
from tests.factories import company_of, make_department, make_record
from tests.hardening.backlog import workflow_at
from tests.hardening.reference import OPEN, CommitmentModel, Record, Refused

SEEN: Counter = Counter()
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Kunming
LAST = datetime(2026, 11, 20, tzinfo=UTC)  # every deadline stays in 2026's calendar
CASE = st.tuples(st.integers(0, 50), st.sampled_from([True, True, True, False]))
#: Steps by weight; ``stale`` sends an event with a wrong expected version.
ACTIONS = (
    ["submit"] * 2
    + ["time_passes"] * 3
    + ["review"] * 3
    + ["request_confirmation"] * 3
    + ["confirm"] * 4
    + ["attach"] * 3
    + ["withdraw", "stale"]
)
DOCUMENTS = ["commitment_letter", "training_certificate", "credit_report"]
#: (company, department, class, decided): old enough, just past the maximum
#: soon, too recent at first, specific severe.
RECORDS = [
    ("A", "SCJG", "general", date(2025, 7, 10)),
    ("A", "SCJG", "severe", date(2025, 7, 10)),
    ("B", "SCJG", "general", date(2025, 3, 20)),
    ("B", "HBJ", "specific_severe", date(2025, 7, 10)),
    ("C", "HBJ", "general", date(2025, 12, 20)),
    ("C", "HBJ", "severe", date(2025, 9, 1)),
]
ACTORS = {
    "office": Actor("王芳", "office"),
    "intake": Actor("portal", "intake"),
    "SCJG": Actor("李强", "department", "SCJG"),
    "HBJ": Actor("赵敏", "department", "HBJ"),
}


class CommitmentComparison(RuleBasedStateMachine):
    """The service and the model side by side; ``fresh_url`` gives each example a
    new, migrated database."""

    fresh_url = None

    def __init__(self) -> None:
        super().__init__()
        self.engine = make_engine(self.fresh_url())
        self.wf = workflow_at(self.engine, START)
        self.clock: FakeClock = self.wf.clock
        departments = {
            code: make_department(self.engine, code) for code in ("SCJG", "HBJ")
        }
        companies: dict[str, int] = {}
        self.record_ids, records = [], []
        for company, department, klass, decided in RECORDS:
            penalty_id = make_record(
                self.engine,
                penalty_class=klass,
                decision_date=decided,
                department_id=departments[department],
                company_id=companies.get(company),
            )
            companies.setdefault(company, company_of(self.engine, penalty_id))
            self.record_ids.append(penalty_id)
            records.append(Record(company, department, klass, decided))
        self.company_ids = companies
        self.model = CommitmentModel(records)

    def teardown(self) -> None:
        SEEN["examples"] += 1
        SEEN.update(f"ended {c.state}" for c in self.model.cases.values())
        self.engine.dispose()

    def _both(self, predict, act) -> None:
        """Run the model and the service; both succeed or both refuse alike."""
        try:
            predict()
            expected = "ok"
        except Refused as refused:
            expected = refused.code
        try:
            act()
            actual = "ok"
        except CreditRepairError as error:
            actual = error.code
        assert actual == expected, (actual, expected)
        SEEN["steps"] += 1
        SEEN[f"answered {actual}"] += 1

    def _case(self, choice: tuple[int, bool], *states: str):
        """A case: mostly one in ``states`` (where the event can succeed)."""
        index, plausible = choice
        ids = sorted(self.model.cases)
        fitting = [i for i in ids if self.model.cases[i].state in states]
        pool = fitting if plausible and fitting else ids
        case_id = pool[index % len(pool)]
        return case_id, self.model.cases[case_id]

    @rule(choice=CASE, action=st.sampled_from(ACTIONS), data=st.data())
    def step(self, choice, action, data):
        """One step: an application, an event on a case (mostly one in a state
        that accepts it), or time passing."""
        if action in ("submit", "time_passes") or not self.model.cases:
            action = "time_passes" if action == "time_passes" else "submit"
            getattr(self, f"_{action}")(data)
        else:
            getattr(self, f"_{action}")(choice, data)

    def _submit(self, data):
        record = data.draw(st.integers(0, len(RECORDS) - 1))
        letter = data.draw(st.sampled_from([True, True, True, False]))
        hours_back = data.draw(st.one_of(st.none(), st.integers(0, 240)))
        received = (
            None
            if hours_back is None
            else self.clock.now() - timedelta(hours=hours_back)
        )
        documents = [("commitment_letter", "承诺书.pdf", b"%PDF")] if letter else []
        expected = "conflict" if self.model.has_open_case(record) else "ok"
        try:
            case = commitment.submit(
                self.wf,
                self.record_ids[record],
                "website" if received is None else "email",
                ACTORS["intake"],
                received,
                documents,
            )
            actual = "ok"
        except CreditRepairError as error:
            actual = error.code
        assert actual == expected
        if actual == "ok":
            kinds = [kind for kind, _name, _content in documents]
            self.model.submit(case.id, record, kinds, received or self.clock.now())

    def _review(self, case, data):
        case_id, modelled = self._case(case, "submitted")
        role = data.draw(st.sampled_from(["office", "office", "intake"]))
        self._both(
            lambda: self.model.review(modelled, role, self.clock.now()),
            lambda: commitment.fire_event(self.wf, case_id, "review", ACTORS[role]),
        )

    def _request_confirmation(self, case, data):
        case_id, modelled = self._case(case, "taken_down")
        self._both(
            lambda: self.model.request_confirmation(
                modelled, "office", self.clock.now()
            ),
            lambda: commitment.fire_event(
                self.wf, case_id, "request_confirmation", ACTORS["office"]
            ),
        )

    def _confirm(self, case, data):
        case_id, modelled = self._case(case, "awaiting_confirmation")
        actor = ACTORS[data.draw(st.sampled_from(["office", "SCJG", "HBJ", "SCJG"]))]
        fulfilled = data.draw(st.sampled_from([True, True, True, False]))
        klass = data.draw(st.sampled_from([None, None, "general", "severe", "x"]))
        klass = "specific_severe" if klass == "x" else klass
        inputs = {"fulfilled": fulfilled} | ({"penalty_class": klass} if klass else {})
        self._both(
            lambda: self.model.confirm(
                modelled,
                actor.role,
                actor.department,
                fulfilled,
                klass,
                self.clock.now(),
            ),
            lambda: commitment.fire_event(self.wf, case_id, "confirm", actor, inputs),
        )

    def _attach(self, case, data):
        case_id, modelled = self._case(case, *OPEN)
        kind = data.draw(st.sampled_from(DOCUMENTS))
        self._both(
            lambda: self.model.attach(modelled, kind),
            lambda: commitment.attach_document(
                self.wf, case_id, kind, f"{kind}.pdf", b"%PDF", ACTORS["intake"]
            ),
        )

    def _withdraw(self, case, data):
        case_id, modelled = self._case(case, *OPEN)
        role = data.draw(st.sampled_from(["intake", "office", "HBJ"]))
        self._both(
            lambda: self.model.withdraw(modelled, ACTORS[role].role),
            lambda: commitment.fire_event(self.wf, case_id, "withdraw", ACTORS[role]),
        )

    def _stale(self, case, data):
        """Acting on an old (or a future) version changes nothing."""
        case_id, modelled = self._case(case)
        event = data.draw(st.sampled_from(["review", "confirm", "withdraw", "attach"]))
        stale = modelled.version + data.draw(st.sampled_from([-1, 1]))
        stale = stale if stale >= 1 else modelled.version + 1

        def act():
            if event == "attach":
                commitment.attach_document(
                    self.wf, case_id, "credit_report", "r.pdf", b"%PDF",
                    ACTORS["intake"], stale,
                )  # fmt: skip
            else:
                commitment.fire_event(
                    self.wf, case_id, event, ACTORS["office"], {}, stale
                )

        self._both(_refuse("version_conflict"), act)

    def _time_passes(self, data):
        """The clock moves on (within 2026) and the scheduler's sweep fires what
        fell due."""
        hours = data.draw(st.integers(1, 24 * 9))
        if self.clock.now() + timedelta(hours=hours) > LAST:
            return
        now = self.clock.advance(hours=hours)
        with self.engine.connect() as conn:
            due = due_deadline_ids(conn, now)
        fired = sum(fire_deadline(self.wf, d) is not None for d in due)
        assert fired == self.model.fire_due(now)
        SEEN["deadlines fired"] += fired

    @invariant()
    def service_matches_model(self):
        with self.engine.connect() as conn:
            cases = {
                r.id: (r.state, r.version) for r in conn.execute(select(Case.__table__))
            }
            published = dict(
                conn.execute(
                    select(
                        PenaltyRecord.__table__.c.id,
                        PenaltyRecord.__table__.c.is_published,
                    )
                ).all()
            )
            barred = set(conn.execute(select(Bar.__table__.c.company_id)).scalars())
            table = Deadline.__table__
            pending = {}
            for row in conn.execute(select(table).where(table.c.status == "pending")):
                pending.setdefault(row.subject_id, {})[row.kind] = row.due_at
        for case_id, modelled in self.model.cases.items():
            assert cases[case_id] == (modelled.state, modelled.version), case_id
            wanted = {kind: when for kind, (when, _) in modelled.pending.items()}
            assert pending.get(case_id, {}) == wanted, case_id
        for index, record in enumerate(self.model.records):
            assert published[self.record_ids[index]] == record.published, index
        assert barred == {self.company_ids[c] for c in self.model.barred}
        assert_log_consistent(self.engine)


def _refuse(code: str):
    def predict():
        raise Refused(code)

    return predict
