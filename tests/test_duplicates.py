"""Records published twice: crafted duplicates are reported, near misses are not."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from credit_repair.persistence.notifications import notifications
from credit_repair.persistence.unit_of_work import SqlUnitOfWork
from credit_repair.workflow import housekeeping
from credit_repair.workflow.calendar import WorkingCalendar
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.duplicates import near_identical, normalise
from credit_repair.workflow.model import PublishedRecord
from credit_repair.workflow.regimes import load_regime
from tests.checks import assert_log_consistent
from tests.factories import company_of, make_department, make_record

DECIDED = date(2025, 9, 1)
FACTS = (
    "该公司在经营场所销售超过保质期的食品，"
    "违反了《中华人民共和国食品安全法》第三十四条。"
)


def published(id_: int, **fields) -> PublishedRecord:
    base = {
        "penalty_class": "general",
        "decision_date": DECIDED,
        "published_on": DECIDED,
        "version": 0,
        "company_id": 1,
        "department_id": 1,
        "penalty_kinds": ("罚款",),
        "fine_yuan": Decimal("5000.00"),
        "facts": FACTS,
    }
    return PublishedRecord(id=id_, **{**base, **fields})


class TestContentComparison:
    def test_normalising_drops_spaces_punctuation_and_width(self):
        assert normalise("《食品安全法》 第 34 条，ＡＢ。") == "食品安全法第34条ab"

    def test_copies_differing_in_spacing_and_punctuation_are_identical(self):
        copy = FACTS.replace("，", ",").replace("。", " ") + "  "
        assert near_identical(published(1), published(2, facts=copy)) == 1.0

    def test_a_copy_with_a_typo_is_near_identical(self):
        typo = FACTS.replace("保质期", "保值期")
        score = near_identical(published(1), published(2, facts=typo))
        assert score is not None and 0.9 <= score < 1.0

    def test_another_violation_on_the_same_day_is_not(self):
        other = "该公司未按规定公示年度报告，违反了《企业信息公示暂行条例》第八条。"
        assert near_identical(published(1), published(2, facts=other)) is None

    def test_the_same_text_with_another_fine_is_not(self):
        other = published(2, fine_yuan=Decimal("50000.00"))
        assert near_identical(published(1), other) is None

    def test_records_without_content_are_never_matched(self):
        empty = published(2, facts=None, penalty_kinds=())
        assert near_identical(published(1, facts=None, penalty_kinds=()), empty) is None


@pytest.fixture
def wf(engine, clock) -> Workflow:
    clock.set(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    return Workflow(
        unit_of_work=lambda: SqlUnitOfWork(engine, clock),
        clock=clock,
        calendar=WorkingCalendar(),
        regime=load_regime("kunming-2020"),
    )


@pytest.mark.storage
class TestDuplicateReport:
    def test_crafted_duplicates_are_reported_and_near_misses_are_not(self, wf, engine):
        market = make_department(engine, "SCJGJ")
        ecology = make_department(engine, "STHJJ")
        first = make_record(engine, department_id=market, facts=FACTS)
        company = company_of(engine, first)

        # same decision number and authority, written with other brackets
        numbered = make_record(
            engine, department_id=market, decision_number="昆市监罚〔2025〕88号"
        )
        renumbered = make_record(
            engine, department_id=market, decision_number="昆市监罚[2025] 88号"
        )
        # the same number from another authority is another decision
        make_record(
            engine, department_id=ecology, decision_number="昆市监罚〔2025〕88号"
        )
        # same party, authority and date, the content copied with other spacing
        same_day = dict(company_id=company, department_id=market)
        copy = make_record(
            engine, **same_day, decision_number=None, facts=FACTS.replace("，", ", ")
        )
        # same party, authority and date, but another violation: must not match
        make_record(
            engine,
            **same_day,
            facts="该公司未按规定公示年度报告，违反了《企业信息公示暂行条例》第八条。",
        )
        # a copy that is no longer published is no duplicate any more
        make_record(
            engine,
            department_id=market,
            decision_number="昆市监罚[2025]88号",
            is_published=False,
        )

        result = housekeeping.run(wf)

        groups = [(g.penalty_ids, g.reasons) for g in result.duplicates]
        assert groups == [
            ((first, copy), ("same_party_date_content",)),
            ((numbered, renumbered), ("same_decision_number",)),
        ]
        assert result.duplicates[0].similarity == 1.0
        with engine.connect() as conn:
            told = notifications(conn, "office")
        assert [n["payload"]["penalty_ids"] for n in told] == [
            [first, copy],
            [numbered, renumbered],
        ]
        assert "处罚机关和决定书文号相同" in told[1]["text"]
        assert_log_consistent(engine)

    def test_each_group_is_reported_to_the_office_once(self, wf, engine):
        market = make_department(engine, "SCJGJ")
        for number in ("昆市监罚〔2025〕9号", "昆市监罚（2025）9号"):
            make_record(engine, department_id=market, decision_number=number)

        first = housekeeping.run(wf)
        second = housekeeping.run(wf)

        assert (first.reported, second.reported, second.duplicate_count) == (1, 0, 1)
        with engine.connect() as conn:
            assert len(notifications(conn, "office")) == 1

    def test_a_dry_run_reports_without_telling_anyone(self, wf, engine):
        market = make_department(engine, "SCJGJ")
        for _ in range(2):
            make_record(engine, department_id=market, decision_number="昆罚〔2025〕1号")

        result = housekeeping.run(wf, dry_run=True)

        assert (result.duplicate_count, result.reported) == (1, 0)
        with engine.connect() as conn:
            assert notifications(conn) == []
