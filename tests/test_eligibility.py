"""The one-time notice: every unmet condition at once, with stable codes."""

from dataclasses import replace
from datetime import date

import pytest

from credit_repair.workflow.eligibility import (
    CompanyFacts,
    Condition,
    RecordFacts,
    check_eligibility,
    disclosure_window,
    training_proof_overdue,
)
from credit_repair.workflow.regimes import load_regime

KUNMING = load_regime("kunming-2020")
NATIONAL_2023 = load_regime("national-2023")
NATIONAL_2026 = load_regime("national-2026")
TODAY = date(2026, 6, 1)
ALL_DOCUMENTS = {"commitment_letter", "training_certificate", "credit_report"}
CLEAN = CompanyFacts()


def record(**changes) -> RecordFacts:
    """A general record decided a year ago, published nationally, carried out."""
    base = RecordFacts(
        penalty_class="general",
        decision_date=date(2025, 9, 1),
        published_on=date(2025, 9, 5),
        is_published=True,
        published_where="national",
        fulfilled=True,
    )
    return replace(base, **changes)


def codes(unmet) -> list[str]:
    return [u.code for u in unmet]


class TestEligible:
    @pytest.mark.parametrize("procedure", ["commitment", "batch", "instant"])
    def test_a_record_meeting_every_condition_gets_an_empty_notice(self, procedure):
        assert (
            check_eligibility(record(), CLEAN, procedure, KUNMING, TODAY, ALL_DOCUMENTS)
            == []
        )

    def test_an_unknown_performance_is_not_yet_a_failure(self):
        unmet = check_eligibility(
            record(fulfilled=None), CLEAN, "commitment", KUNMING, TODAY, ALL_DOCUMENTS
        )
        assert unmet == []

    def test_a_batch_needs_no_document_up_front(self):
        assert check_eligibility(record(), CLEAN, "batch", KUNMING, TODAY, []) == []

    def test_a_kunming_severe_commitment_needs_only_the_letter_at_review(self):
        severe = record(penalty_class="severe", decision_date=date(2025, 10, 1))
        unmet = check_eligibility(
            severe, CLEAN, "commitment", KUNMING, TODAY, {"commitment_letter"}
        )
        assert unmet == []


class TestEachCondition:
    @pytest.mark.parametrize(
        ("facts", "company", "procedure", "regime", "documents", "code"),
        [
            (record(is_published=False), CLEAN, "batch", KUNMING, (), "not_published"),
            (
                record(published_where="city"),
                CLEAN,
                "instant",
                KUNMING,
                ALL_DOCUMENTS,
                "not_on_national_site",
            ),
            (
                record(penalty_class="specific_severe"),
                CLEAN,
                "batch",
                KUNMING,
                (),
                "specific_severe",
            ),
            (
                record(held_by={"case_id": 4}),
                CLEAN,
                "commitment",
                KUNMING,
                ALL_DOCUMENTS,
                "record_in_progress",
            ),
            (
                record(),
                CompanyFacts(is_barred=True, barred_reason="relisted in case 7"),
                "commitment",
                KUNMING,
                ALL_DOCUMENTS,
                "company_barred",
            ),
            (
                record(fulfilled=False),
                CLEAN,
                "batch",
                KUNMING,
                (),
                "penalty_not_carried_out",
            ),
            (
                record(decision_date=date(2026, 4, 1)),
                CLEAN,
                "batch",
                KUNMING,
                (),
                "minimum_period_not_reached",
            ),
            (
                record(decision_date=date(2025, 5, 1)),
                CLEAN,
                "batch",
                KUNMING,
                (),
                "past_maximum_period",
            ),
            (
                record(decision_date=None, published_on=None),
                CLEAN,
                "batch",
                KUNMING,
                (),
                "period_start_unknown",
            ),
            (record(), CLEAN, "commitment", KUNMING, (), "commitment_letter_missing"),
            (
                record(penalty_class="severe", decision_date=date(2025, 10, 1)),
                CLEAN,
                "instant",
                KUNMING,
                {"commitment_letter", "credit_report"},
                "training_certificate_missing",
            ),
            (
                record(penalty_class="severe", decision_date=date(2025, 10, 1)),
                CLEAN,
                "instant",
                KUNMING,
                {"commitment_letter", "training_certificate"},
                "credit_report_missing",
            ),
        ],
    )
    def test_each_code_is_reported_alone_when_alone_unmet(
        self, facts, company, procedure, regime, documents, code
    ):
        unmet = check_eligibility(facts, company, procedure, regime, TODAY, documents)
        assert codes(unmet) == [code]
        assert unmet[0].message_zh and unmet[0].message_en
        assert code in {str(c) for c in Condition}

    def test_a_barred_company_may_still_use_the_other_procedures(self):
        barred = CompanyFacts(is_barred=True)
        for procedure in ("batch", "instant"):
            assert (
                check_eligibility(
                    record(), barred, procedure, KUNMING, TODAY, ALL_DOCUMENTS
                )
                == []
            )

    def test_national_rules_need_no_training_proof_for_instant_repair(self):
        severe = record(penalty_class="severe", decision_date=date(2025, 5, 1))
        for regime in (NATIONAL_2023, NATIONAL_2026):
            unmet = check_eligibility(
                severe, CLEAN, "instant", regime, TODAY, {"commitment_letter"}
            )
            assert unmet == []


class TestDetails:
    def test_the_minimum_period_says_when_it_will_be_reached(self):
        facts = record(decision_date=date(2026, 3, 31))
        (unmet,) = check_eligibility(facts, CLEAN, "batch", KUNMING, TODAY, ())
        assert unmet.detail == {
            "period_start": "2026-03-31",
            "period_start_basis": "decision_date",
            "months": 3,
            "eligible_from": "2026-07-01",
        }
        assert "2026-07-01" in unmet.message_zh
        assert "2026-07-01" in unmet.message_en

    @pytest.mark.parametrize(
        ("today", "reached"),
        [(date(2026, 2, 28), False), (date(2026, 3, 1), True)],
    )
    def test_the_minimum_is_reached_on_the_day_after_the_period(self, today, reached):
        facts = record(decision_date=date(2025, 11, 30))
        unmet = check_eligibility(facts, CLEAN, "batch", KUNMING, today, ())
        assert (unmet == []) is reached

    @pytest.mark.parametrize(
        ("today", "past"),
        [(date(2026, 11, 30), False), (date(2026, 12, 1), True)],
    )
    def test_the_maximum_is_passed_on_the_day_after_it_ends(self, today, past):
        facts = record(decision_date=date(2025, 11, 30))
        unmet = check_eligibility(facts, CLEAN, "batch", KUNMING, today, ())
        assert codes(unmet) == (["past_maximum_period"] if past else [])

    def test_the_publication_date_stands_in_for_a_missing_decision_date(self):
        facts = record(decision_date=None, published_on=date(2026, 4, 1))
        (unmet,) = check_eligibility(facts, CLEAN, "batch", KUNMING, TODAY, ())
        assert unmet.code == "minimum_period_not_reached"
        assert unmet.detail["period_start_basis"] == "published_on"
        assert unmet.detail["eligible_from"] == "2026-07-02"
        assert "publication date 2026-04-01" in unmet.message_en
        assert "公示日期2026-04-01" in unmet.message_zh

    def test_a_specific_severe_record_is_held_until_its_maximum(self):
        facts = record(penalty_class="specific_severe", decision_date=date(2025, 1, 31))
        (unmet,) = check_eligibility(
            facts, CLEAN, "commitment", KUNMING, TODAY, ALL_DOCUMENTS
        )
        assert unmet.code == "specific_severe"
        assert unmet.detail["maximum_end"] == "2028-01-31"

    def test_a_specific_severe_record_past_its_maximum_is_only_past_it(self):
        facts = record(penalty_class="specific_severe", decision_date=date(2023, 1, 31))
        unmet = check_eligibility(facts, CLEAN, "batch", KUNMING, TODAY, ())
        assert codes(unmet) == ["past_maximum_period"]

    def test_a_published_minor_record_is_past_its_maximum_under_kunming(self):
        facts = record(penalty_class="minor", decision_date=date(2026, 5, 1))
        assert codes(check_eligibility(facts, CLEAN, "batch", KUNMING, TODAY, ())) == [
            "past_maximum_period"
        ]
        assert check_eligibility(facts, CLEAN, "batch", NATIONAL_2026, TODAY, ()) == []

    def test_the_barred_reason_is_told(self):
        company = CompanyFacts(is_barred=True, barred_reason="relisted 2026-03-02")
        (unmet,) = check_eligibility(
            record(), company, "commitment", KUNMING, TODAY, ALL_DOCUMENTS
        )
        assert unmet.detail == {"barred_reason": "relisted 2026-03-02"}
        assert "relisted 2026-03-02" in unmet.message_en

    def test_a_condition_serialises_for_an_answer(self):
        (unmet,) = check_eligibility(record(), CLEAN, "commitment", KUNMING, TODAY, ())
        assert unmet.as_dict() == {
            "code": "commitment_letter_missing",
            "message_zh": "缺少信用修复承诺书。",
            "message_en": "The credit repair commitment letter is missing.",
            "detail": {"document": "commitment_letter"},
        }

    def test_an_overdue_training_proof_names_what_is_missing_and_when_it_was_due(
        self,
    ):
        unmet = training_proof_overdue(
            date(2026, 11, 1), 7, date(2026, 11, 9), ["credit_report"]
        )
        assert (
            unmet.code == Condition.TRAINING_PROOF_OVERDUE == "training_proof_overdue"
        )
        assert unmet.message_en == (
            "The commitment letter was received on 2026-11-01; the credit repair "
            "report had to follow within 7 days (by 2026-11-09 24:00), and that "
            "time passed before the review. Send the commitment letter again with "
            "the credit repair report."
        )
        assert "信用修复报告应自收到之日起7日内（至2026-11-09 24:00）提交" in (
            unmet.message_zh
        )


class TestRecordInProgress:
    def test_an_open_case_is_named(self):
        [held] = check_eligibility(
            record(held_by={"case_id": 4}),
            CLEAN,
            "instant",
            KUNMING,
            TODAY,
            ALL_DOCUMENTS,
        )

        assert held.message_en == (
            "The record is already being handled (case 4); apply again once that ends."
        )
        assert "信用修复案件4" in held.message_zh
        assert held.detail == {"case_id": 4}

    def test_an_open_batch_item_is_named(self):
        holder = {"batch_id": 2, "item_id": 31}
        [held] = check_eligibility(
            record(held_by=holder), CLEAN, "commitment", KUNMING, TODAY, ALL_DOCUMENTS
        )

        assert "item 31 of quarterly batch 2" in held.message_en
        assert "批量修复批次2第31项" in held.message_zh
        assert held.detail == holder


class TestOneTimeNotice:
    def test_a_record_failing_several_conditions_gets_all_of_them(self):
        facts = record(
            penalty_class="severe",
            decision_date=None,
            published_on=date(2026, 3, 1),
            published_where="city",
            fulfilled=False,
        )
        company = CompanyFacts(is_barred=True)
        instant = check_eligibility(facts, company, "instant", KUNMING, TODAY, ())
        assert codes(instant) == [
            "not_on_national_site",
            "penalty_not_carried_out",
            "minimum_period_not_reached",
            "commitment_letter_missing",
            "training_certificate_missing",
            "credit_report_missing",
        ]
        commitment = check_eligibility(facts, company, "commitment", KUNMING, TODAY, ())
        assert codes(commitment) == [
            "company_barred",
            "penalty_not_carried_out",
            "minimum_period_not_reached",
            "commitment_letter_missing",
        ]

    def test_an_unpublished_specific_severe_record_without_dates(self):
        facts = record(
            penalty_class="specific_severe",
            decision_date=None,
            published_on=None,
            is_published=False,
        )
        unmet = check_eligibility(facts, CLEAN, "batch", KUNMING, TODAY, ())
        assert codes(unmet) == [
            "not_published",
            "specific_severe",
            "period_start_unknown",
        ]


class TestDisclosureWindow:
    @pytest.mark.parametrize(
        ("regime", "penalty_class", "window"),
        [
            (KUNMING, "general", (date(2026, 2, 28), date(2026, 11, 30))),
            (KUNMING, "severe", (date(2026, 5, 30), date(2028, 11, 30))),
            (NATIONAL_2023, "severe", (date(2026, 11, 30), date(2028, 11, 30))),
            (NATIONAL_2026, "minor", (date(2025, 11, 30), date(2026, 2, 28))),
        ],
    )
    def test_minimum_and_maximum_ends(self, regime, penalty_class, window):
        facts = record(penalty_class=penalty_class, decision_date=date(2025, 11, 30))
        assert disclosure_window(facts, regime) == window

    def test_needs_a_start_date(self):
        with pytest.raises(ValueError, match="neither"):
            disclosure_window(record(decision_date=None, published_on=None), KUNMING)
