"""The portal's feed gives every change a fixed English reason, never the free or
Chinese words of a case (those stay in its history); the English message of a
barred company's unmet condition is English throughout."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from credit_repair.persistence.record_facts import load_record_facts
from credit_repair.persistence.tables import PublicationChange
from credit_repair.persistence.views import case_view
from credit_repair.workflow import commitment, housekeeping, instant
from credit_repair.workflow.eligibility import (
    BAR_REASONS_EN,
    check_eligibility,
    reason_in_english,
)
from credit_repair.workflow.firing import fire_deadline
from credit_repair.workflow.model import Actor
from tests.checks import assert_log_consistent
from tests.factories import company_of, department_code, make_record

pytestmark = pytest.mark.storage

OFFICE = Actor("王芳", "office")
INTAKE = Actor("portal", "intake")
LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF letter")
TABLE = PublicationChange.__table__


def reasons(engine, penalty_id: int) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(TABLE.c.action, TABLE.c.reason)
            .where(TABLE.c.penalty_id == penalty_id)
            .order_by(TABLE.c.seq)
        )
        return [tuple(row) for row in rows]


def taken_down(wf, engine, penalty_class="general") -> tuple[int, int]:
    penalty_id = make_record(engine, penalty_class=penalty_class)
    case = commitment.submit(wf, penalty_id, "website", INTAKE, documents=[LETTER])
    commitment.fire_event(wf, case.id, "review", OFFICE)
    commitment.fire_event(wf, case.id, "request_confirmation", OFFICE)
    return penalty_id, case.id


def confirm(wf, engine, penalty_id, case_id, fulfilled: bool) -> None:
    who = Actor("李强", "department", department_code(engine, penalty_id))
    commitment.fire_event(wf, case_id, "confirm", who, {"fulfilled": fulfilled})


def test_a_relisting_for_a_penalty_not_carried_out(wf, engine):
    penalty_id, case_id = taken_down(wf, engine)

    confirm(wf, engine, penalty_id, case_id, fulfilled=False)

    assert reasons(engine, penalty_id) == [
        ("taken_down", "commitment accepted"),
        (
            "relisted",
            "commitment repair failed: the department confirmed that the penalty "
            "was not fully carried out",
        ),
    ]


def test_a_relisting_for_documents_not_sent_in_time(wf, engine, clock):
    penalty_id, case_id = taken_down(wf, engine, "severe")
    confirm(wf, engine, penalty_id, case_id, fulfilled=True)
    with engine.connect() as conn:
        [training] = [
            d["id"]
            for d in case_view(conn, case_id)["deadlines"]
            if d["kind"] == "training_proof"
        ]

    clock.set(datetime(2026, 3, 9, 16, 0, tzinfo=UTC))
    assert fire_deadline(wf, training) == "expire_proof"

    assert reasons(engine, penalty_id)[-1] == (
        "relisted",
        "commitment repair failed: the training certificate and credit report "
        "were not sent in time",
    )
    assert_log_consistent(engine)


def test_a_withdrawal_keeps_the_company_s_words_out_of_the_feed(wf, engine):
    penalty_id, case_id = taken_down(wf, engine)

    commitment.fire_event(wf, case_id, "withdraw", INTAKE, {"reason": "公司撤回申请"})

    assert reasons(engine, penalty_id)[-1] == ("relisted", "commitment case withdrawn")


def test_a_national_repair_and_an_expiry(wf, engine, clock):
    national = make_record(engine, published_where="national")
    applied = instant.apply(wf, national, INTAKE, [LETTER])
    instant.answer(wf, applied.case.id, "repaired", "复核通过", INTAKE)
    overdue = make_record(engine, decision_date=date(2024, 1, 2))
    housekeeping.run(wf)

    assert reasons(engine, national) == [
        ("taken_down", "national repair approved by the province and the nation")
    ]
    assert reasons(engine, overdue) == [("expired", "past maximum disclosure period")]


def test_a_barred_company_is_told_why_in_each_language(wf, engine, clock):
    penalty_id, case_id = taken_down(wf, engine)
    confirm(wf, engine, penalty_id, case_id, fulfilled=False)
    other = make_record(engine, company_id=company_of(engine, penalty_id))
    with engine.connect() as conn:
        record, company, _department = load_record_facts(conn, other)

    [barred] = check_eligibility(
        record,
        company,
        "commitment",
        wf.regime,
        date(2026, 3, 2),
        ["commitment_letter"],
    )

    assert barred.code == "company_barred"
    assert barred.message_en == (
        "The company is barred from commitment repair (the department confirmed "
        f"that the penalty was not fully carried out, case {case_id})."
    )
    assert f"（处罚机关确认行政处罚未全部履行，见案件{case_id}）" in barred.message_zh
    assert barred.detail["barred_by_case"] == case_id


def test_the_review_of_a_barred_companys_next_case_says_why(wf, engine):
    penalty_id, case_id = taken_down(wf, engine)
    confirm(wf, engine, penalty_id, case_id, fulfilled=False)
    other = make_record(engine, company_id=company_of(engine, penalty_id))
    case = commitment.submit(wf, other, "website", INTAKE, documents=[LETTER])

    reviewed = commitment.fire_event(wf, case.id, "review", OFFICE)

    [barred] = reviewed.outcome["unmet"]
    assert (reviewed.state, barred["code"]) == ("rejected", "company_barred")
    assert barred["detail"] == {
        "barred_reason": commitment.NOT_CARRIED_OUT,
        "barred_by_case": case_id,
    }
    assert f"见案件{case_id}" in barred["message_zh"]
    assert_log_consistent(engine)


class TestReasonInEnglish:
    def test_every_reason_commitment_repair_bars_for_has_its_english(self):
        assert commitment.NOT_CARRIED_OUT in BAR_REASONS_EN
        assert all(text.isascii() for text in BAR_REASONS_EN.values())

    def test_an_unknown_chinese_reason_is_left_out_of_english(self):
        assert reason_in_english("其他原因") is None
        assert reason_in_english("relisted 2026-03-02") == "relisted 2026-03-02"
        assert reason_in_english(None) is None
