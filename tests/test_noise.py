"""Scraper noise is rejected with a reason; real penalty rows pass."""

import pytest

from credit_repair.workflow.noise import (
    is_authority_name,
    is_date_only,
    is_person,
    screen,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("国家金融监督管理总局湖南监管局", True),
        ("国家金融监督管理总局东营监管分局", True),
        ("国家金融监督管理总局", True),
        ("喀什金融监管分局", True),
        ("天津银保监局", True),
        ("昆明市市场监督管理局", True),
        ("中国工商银行股份有限公司广州东山口支行", False),
        ("泰康人寿保险有限责任公司新疆喀什中心支公司", False),
        ("监管局路支行", False),
    ],
)
def test_an_authority_is_recognised_by_its_name(name, expected):
    assert is_authority_name(name) is expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("2024年11月29日", True),
        ("2025-11-05", True),
        ("长治金融监管分局 2024年12月5日", True),
        ("警告，并处罚款2万元", False),
        ("罚没合计1312233.69元", False),
        ("对某某处以2024年12月5日起禁止从业", False),
        (None, False),
    ],
)
def test_a_date_as_penalty_content_is_noise(content, expected):
    assert is_date_only(content) is expected


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        (
            "某某[中国工商银行股份有限公司广州庙前直街支行副行长（分管个人金融业务）]",
            "机构",
            True,
        ),
        ("某某〔时任珠江人寿保险股份有限公司惠州分公司临时负责人〕", "机构", True),
        ("张三", "自然人", True),
        ("中国工商银行股份有限公司私人某某", "机构", False),
        ("浦发银行股份有限公司南昌分行、某某", "机构", False),
        ("昆明某商贸有限公司", "个体工商户", False),
    ],
)
def test_natural_persons_are_not_market_parties(name, kind, expected):
    assert is_person(name, kind) is expected


class TestScreen:
    def test_a_penalty_row_passes(self):
        assert (
            screen(2, "某银行", "机构", "罚款45万元", ["罚款"], "广东金融监管局")
            is None
        )

    @pytest.mark.parametrize(
        ("party", "content", "kinds", "authority", "reason"),
        [
            (None, "罚款", ["罚款"], "局", "missing_party"),
            (
                "国家金融监督管理总局湖南监管局",
                "2024年11月29日",
                ["其他"],
                None,
                "party_is_authority",
            ),
            ("某某[时任支行副行长]", "警告", ["警告"], "局", "party_is_person"),
            (
                "中国农业银行股份有限公司忻州分行",
                "2026年2月3日",
                ["其他"],
                "局",
                "content_is_date",
            ),
            (
                "许昌农村商业银行股份有限公司安和街分理处",
                None,
                [],
                None,
                "missing_penalty",
            ),
            (
                "国家开发银行青海省分行",
                "处罚款200万元",
                ["罚款"],
                None,
                "missing_authority",
            ),
        ],
    )
    def test_the_first_broken_rule_is_the_reason(
        self, party, content, kinds, authority, reason
    ):
        rejection = screen(7, party, "机构", content, kinds, authority)
        assert rejection is not None
        assert (rejection.row, rejection.reason) == (7, reason)
        assert rejection.detail
