"""The class of a penalty record and its reason, from kinds, amounts, field and text."""

from dataclasses import replace
from decimal import Decimal

import pytest

from credit_repair.workflow.classify import (
    GENERAL,
    MINOR,
    SEVERE,
    SPECIFIC_SEVERE,
    PenaltyTraits,
    classify,
    declared_class,
)

NFRA_OFFICE = "广东金融监管局"


def traits(kinds="罚款", amount=0, **text) -> PenaltyTraits:
    return PenaltyTraits(
        kinds=tuple(kinds.split("、")) if kinds else (),
        amount_yuan=Decimal(amount),
        authority=text.pop("authority", NFRA_OFFICE),
        **text,
    )


# Each case: traits, expected class, rule. Strings are taken from the NFRA file
# unless they describe a field the file does not have.
CASES = [
    pytest.param(
        traits("警告、罚款", 20000), GENERAL, "G1", id="warning and small fine"
    ),
    pytest.param(traits("罚款", 450000), GENERAL, "G1", id="typical regulator fine"),
    pytest.param(
        traits("罚款、责令改正", 999999.99), GENERAL, "G1", id="below a million"
    ),
    pytest.param(traits("警告"), GENERAL, "G1", id="warning alone, general procedure"),
    pytest.param(traits("其他", 6801160.88), SEVERE, "S2", id="罚没共计680万元"),
    pytest.param(traits("罚款", 1_000_000), SEVERE, "S2", id="exactly a million"),
    pytest.param(traits("警告、罚款、禁止从业", 50000), SEVERE, "S1", id="禁止从业"),
    pytest.param(traits("取消任职资格"), SEVERE, "S1", id="取消任职资格"),
    pytest.param(
        traits("吊销许可证", conduct="伪造保险合同"), SEVERE, "S1", id="licence revoked"
    ),
    pytest.param(
        traits("责令停产停业", authority="某市交通运输局"), SEVERE, "S1", id="停产停业"
    ),
    pytest.param(
        traits("罚款、责令改正", 100000, conduct="虚开发票套取费用"),
        SPECIFIC_SEVERE,
        "SS2",
        id="虚开发票 is listed tax fraud",
    ),
    pytest.param(
        traits("罚款", 5000, conduct="拖欠农民工工资"),
        SPECIFIC_SEVERE,
        "SS2",
        id="wage arrears",
    ),
    pytest.param(
        traits("罚款", 5000, conduct="与其他投标人串通投标"),
        SPECIFIC_SEVERE,
        "SS2",
        id="bid rigging",
    ),
    pytest.param(
        traits("罚款", 3000, conduct="向国家工作人员行贿"),
        SPECIFIC_SEVERE,
        "SS2",
        id="bribery",
    ),
    pytest.param(
        traits(
            "吊销许可证件",
            authority="昆明市市场监督管理局",
            field_text="《中华人民共和国食品安全法》第一百二十四条",
        ),
        SPECIFIC_SEVERE,
        "SS1",
        id="food licence revoked",
    ),
    pytest.param(
        traits("责令停产停业", authority="昆明市生态环境局"),
        SPECIFIC_SEVERE,
        "SS1",
        id="ecology authority suspends",
    ),
    pytest.param(
        traits("罚款", 200000, field_text="未在安全生产责任保险合同中约定具体服务项目"),
        GENERAL,
        "G1",
        id="work-safety insurance fine is not specific severe",
    ),
    pytest.param(
        traits("警告", procedure="简易程序"), MINOR, "M1", id="simplified procedure"
    ),
    pytest.param(
        traits("罚款", 200, procedure="当场处罚决定书"), MINOR, "M1", id="on the spot"
    ),
    pytest.param(
        traits("罚款", 2_000_000, procedure="简易程序"),
        SEVERE,
        "S2",
        id="severity outranks a stated simplified procedure",
    ),
    pytest.param(
        traits("罚款", 2_000_000, declared="一般失信"),
        GENERAL,
        "D1",
        id="a declared class is the authority's word",
    ),
    pytest.param(
        traits("罚款", 10, declared="特定严重"), SPECIFIC_SEVERE, "D1", id="declared"
    ),
    pytest.param(
        traits("吊销许可证件", declared="一般失信"),
        GENERAL,
        "D1",
        id="a declared class may lower a severe finding",
    ),
    pytest.param(
        traits(
            "吊销许可证件",
            authority="昆明市市场监督管理局",
            conduct="销售过期食品",
            field_text="销售过期食品",
            declared="general",
        ),
        SPECIFIC_SEVERE,
        "SS1",
        id="but not a specific-severe one",
    ),
    pytest.param(
        traits("罚款", 5000, conduct="拖欠农民工工资", declared="严重失信"),
        SPECIFIC_SEVERE,
        "SS2",
        id="declared severe does not lower listed misconduct",
    ),
    pytest.param(
        traits("罚款", 10, procedure="依法不可修复"),
        SPECIFIC_SEVERE,
        "SS3",
        id="flagged non-repairable",
    ),
]


@pytest.mark.parametrize(("given", "penalty_class", "rule"), CASES)
def test_a_record_is_classed_by_the_first_rule_that_applies(given, penalty_class, rule):
    result = classify(given)
    assert (result.penalty_class, result.rule) == (penalty_class, rule)
    assert result.class_reason.startswith(f"{result.reason}（规则 {rule}）")


def test_the_reason_says_why_in_plain_words():
    assert classify(traits("警告、罚款、禁止从业")).class_reason == (
        "严重失信：处以禁止从业（规则 S1）"
    )
    assert classify(traits("其他", 1365000)).class_reason == (
        "严重失信：罚没金额1,365,000.00元，达到1,000,000元（规则 S2）"
    )


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        ("严重失信", SEVERE),
        ("特定严重失信", SPECIFIC_SEVERE),
        ("一般", GENERAL),
        ("轻微", MINOR),
        ("Severe", SEVERE),
        ("很严重", None),
        ("", None),
        (None, None),
    ],
)
def test_declared_classes_are_read_in_chinese_and_english(stated, expected):
    assert declared_class(stated) == expected


class TestDeclaredClassAgainstSpecificSevere:
    FOOD_LICENCE_REVOKED = traits(
        "吊销许可证件",
        authority="昆明市市场监督管理局",
        field_text="《中华人民共和国食品安全法》第一百二十四条 吊销食品经营许可证",
    )

    def test_the_finding_stands_and_keeps_the_declaration_it_overruled(self):
        result = classify(replace(self.FOOD_LICENCE_REVOKED, declared="一般失信"))

        assert (result.penalty_class, result.overruled) == (SPECIFIC_SEVERE, "一般失信")
        assert result.class_reason == (
            "特定严重失信：食品药品领域处以吊销许可证件（规则 SS1）"
            "；明示的失信类别“一般失信”不能降低特定严重失信"
        )

    def test_a_declaration_of_specific_severe_agrees_and_decides(self):
        result = classify(replace(self.FOOD_LICENCE_REVOKED, declared="特定严重失信"))

        assert (result.penalty_class, result.rule, result.overruled) == (
            SPECIFIC_SEVERE,
            "D1",
            None,
        )

    def test_without_a_declaration_nothing_is_overruled(self):
        assert classify(self.FOOD_LICENCE_REVOKED).overruled is None
