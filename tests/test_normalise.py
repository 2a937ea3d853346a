"""Normalisers of dates, amounts, penalty kinds and names, on real strings."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from credit_repair.workflow.normalise import (
    UnreadableValue,
    canonical_authority,
    clean_text,
    name_key,
    parse_amount,
    parse_date,
    split_kinds,
)


class TestParseDate:
    @pytest.mark.parametrize(
        ("cell", "expected"),
        [
            ("2024-12-11", date(2024, 12, 11)),
            ("2024/12/11", date(2024, 12, 11)),
            ("2024/1/5", date(2024, 1, 5)),
            ("20241211", date(2024, 12, 11)),
            ("2024年12月11日", date(2024, 12, 11)),
            ("2024年1月5日", date(2024, 1, 5)),
            ("2024-12-06 15:58:27", date(2024, 12, 6)),
            ("2024-12-17 15:25:00", date(2024, 12, 17)),
            ("2026-04-03T14:35:05", date(2026, 4, 3)),
            ("2024.12.11", date(2024, 12, 11)),
            (" 2024-12-11 ", date(2024, 12, 11)),
            (datetime(2024, 12, 6, 15, 58, 27), date(2024, 12, 6)),
            (date(2024, 12, 11), date(2024, 12, 11)),
            (45637, date(2024, 12, 11)),
            (45637.0, date(2024, 12, 11)),
            (20241211, date(2024, 12, 11)),
        ],
    )
    def test_every_format_of_the_data_gives_the_day(self, cell, expected):
        assert parse_date(cell) == expected

    @pytest.mark.parametrize("cell", [None, "", "   "])
    def test_an_empty_cell_has_no_date(self, cell):
        assert parse_date(cell) is None

    @pytest.mark.parametrize(
        "cell",
        [
            "2024-13-01",
            "2025-02-29",
            "长治金融监管分局 2024年12月5日",
            "罚款30万元",
            12,
        ],
    )
    def test_anything_else_is_unreadable(self, cell):
        with pytest.raises(UnreadableValue) as raised:
            parse_date(cell)
        assert raised.value.kind == "date"


class TestParseAmount:
    @pytest.mark.parametrize(
        ("cell", "unit", "expected"),
        [
            (20000, "元", "20000.00"),
            (6801160.88, "元", "6801160.88"),
            (42716.98, "元", "42716.98"),
            (0.2, "万元", "2000.00"),
            ("0.2", "万元", "2000.00"),
            (45, "万元", "450000.00"),
            ("2万元", "元", "20000.00"),
            ("30万", "元", "300000.00"),
            ("5,000元", "元", "5000.00"),
            ("人民币30万元", "元", "300000.00"),
            ("680.116088万元", "元", "6801160.88"),
            ("2000元", "万元", "2000.00"),
            ("0", "元", "0.00"),
        ],
    )
    def test_yuan_and_ten_thousand_yuan(self, cell, unit, expected):
        assert parse_amount(cell, unit=unit) == Decimal(expected)

    @pytest.mark.parametrize("cell", [None, "", " "])
    def test_an_empty_cell_has_no_amount(self, cell):
        assert parse_amount(cell) is None

    @pytest.mark.parametrize(
        "cell", ["罚款二十二万五千元", "-5", float("nan"), True, "30万美元"]
    )
    def test_anything_else_is_unreadable(self, cell):
        with pytest.raises(UnreadableValue):
            parse_amount(cell)


class TestSplitKinds:
    @pytest.mark.parametrize(
        ("cell", "expected"),
        [
            ("罚款", ["罚款"]),
            ("警告、罚款", ["警告", "罚款"]),
            (
                "警告、罚款、禁止从业、取消任职资格",
                ["警告", "罚款", "禁止从业", "取消任职资格"],
            ),
            ("警告;罚款", ["警告", "罚款"]),
            ("警告；罚款；没收违法所得", ["警告", "罚款", "没收违法所得"]),
            ("警告,罚款，责令改正", ["警告", "罚款", "责令改正"]),
            ("罚款、罚款", ["罚款"]),
            ("、警告、 ", ["警告"]),
            ("暂扣/降低资质等级/吊销许可证件", ["暂扣/降低资质等级/吊销许可证件"]),
            (None, []),
            ("", []),
        ],
    )
    def test_kinds_come_out_in_order_without_repeats(self, cell, expected):
        assert split_kinds(cell) == expected


class TestCanonicalAuthority:
    @pytest.mark.parametrize(
        ("written", "filed_as"),
        [
            ("国家金融监督管理总局广东监管局", "广东金融监管局"),
            ("国家金融监督管理总局喀什监管分局", "喀什金融监管分局"),
            ("国家金融监督管理总局威海金融监管分局", "威海金融监管分局"),
            ("国家金融监管管理总局忻州监管分局", "忻州金融监管分局"),
            ("国家金融监管总局新乡监管分局", "新乡金融监管分局"),
            ("国家金融监督管理总局肇庆监管分局金融监管总局", "肇庆金融监管分局"),
            ("孝感金融监管分局 孝感金融监管分局", "孝感金融监管分局"),
            ("喀什金融监管分局", "喀什金融监管分局"),
            ("国家金融监督管理总局", "国家金融监督管理总局"),
            ("原中国银保监会黄山监管分局", "原中国银保监会黄山监管分局"),
            ("昆明市市场监督管理局", "昆明市市场监督管理局"),
            (None, None),
        ],
    )
    def test_one_office_is_filed_under_one_name(self, written, filed_as):
        assert canonical_authority(written) == filed_as


class TestText:
    def test_whitespace_runs_collapse_and_empty_is_none(self):
        assert clean_text("  罚款\n 45万元 ") == "罚款 45万元"
        assert clean_text("  ") is None
        assert clean_text(None) is None
        assert clean_text(300000) == "300000"

    def test_a_name_key_ignores_width_and_spaces(self):
        assert name_key("中国工商银行（广州）支行 ") == name_key(
            "中国工商银行(广州)支行"
        )
