"""Header rows are matched to a layout, and one source row becomes one record draft."""

from datetime import date
from decimal import Decimal

import pytest

from credit_repair.workflow.drafting import PenaltyDraft, draft_row
from credit_repair.workflow.layouts import (
    NATIONAL,
    NFRA,
    LayoutError,
    detect_layout,
    map_columns,
)
from credit_repair.workflow.noise import Rejection

TODAY = date(2026, 3, 2)

NFRA_HEADERS = [
    "处罚决定书文号", "当事人名称", "当事人类型", "主要违法违规事实", "行政处罚依据",
    "行政处罚内容", "处罚类型", "罚款金额(元)", "作出决定机关", "所属省份",
    "作出处罚决定的日期", "发布日期", "文档标题", "源链接",
]  # fmt: skip
NFRA_ROW = (
    None,
    "泰康人寿保险有限责任公司新疆喀什中心支公司",
    "机构",
    "给予投保人保险合同约定以外的利益：代理人执业登记信息管理不到位",
    None,
    "警告，并处罚款2万元",
    "警告、罚款",
    20000,
    "喀什金融监管分局",
    "新疆维吾尔自治区",
    None,
    "2024-12-06 15:58:27",
    "国家金融监督管理总局喀什监管分局行政处罚信息公开表（喀金监罚决字〔2024〕36号）",
    "https://www.nfra.gov.cn/cn/view/pages/governmentDetail.html?docId=1189250",
)
NATIONAL_CODES = [
    "CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_WSH", "CF_CFLB", "CF_NR",
    "CF_NR_FK", "CF_JDRQ", "CF_CFJG", "CF_CFJGDM",
]  # fmt: skip
NATIONAL_ROW = (
    "昆明某某食品有限公司",
    "法人及非法人组织",
    "91530100MA6NXQ2K1P",
    "昆市监罚〔2024〕12号",
    "罚款;没收违法所得",
    "罚款0.2万元",
    0.2,
    "2024年12月11日",
    "昆明市市场监督管理局",
    "11530100MA6NXQ2K10",
)


def nfra(row=NFRA_ROW, **changes) -> PenaltyDraft | Rejection:
    cells = list(row)
    for header, value in changes.items():
        cells[NFRA_HEADERS.index(header)] = value
    columns = map_columns(NFRA_HEADERS, NFRA)
    return draft_row(2, cells, columns, published_where="national", today=TODAY)


class TestLayouts:
    def test_the_nfra_headers_are_recognised(self):
        assert detect_layout(NFRA_HEADERS) is NFRA

    @pytest.mark.parametrize(
        "headers",
        [
            NATIONAL_CODES,
            ["行政相对人名称", "处罚类别", "处罚机关", "罚款金额（万元）"],
        ],
    )
    def test_national_headers_in_chinese_or_codes_are_recognised(self, headers):
        assert detect_layout(headers) is NATIONAL

    def test_a_header_row_of_neither_layout_is_refused(self):
        with pytest.raises(LayoutError, match="cannot tell the layout"):
            detect_layout(["name", "fine"])

    def test_a_missing_required_column_is_named(self):
        with pytest.raises(LayoutError, match="处罚机关"):
            map_columns(["行政相对人名称", "处罚类别"], NATIONAL)

    def test_the_unit_in_a_header_decides_how_an_amount_is_read(self):
        columns = map_columns(
            ["行政相对人名称", "处罚机关", "处罚内容", "罚款金额(元)"], NATIONAL
        )
        assert columns.amount_units == {"fine": "元"}
        assert map_columns(NATIONAL_CODES, NATIONAL).amount_units == {"fine": "万元"}

    def test_unknown_headers_are_listed_as_ignored(self):
        columns = map_columns([*NATIONAL_CODES, "CF_FRDB", "数据来源单位"], NATIONAL)
        assert columns.ignored == ("CF_FRDB", "数据来源单位")


class TestNfraRow:
    def test_a_real_row_becomes_a_general_record_published_nationally(self):
        draft = nfra()
        assert isinstance(draft, PenaltyDraft)
        assert draft.values["penalty_kinds"] == ["警告", "罚款"]
        assert draft.values["fine_yuan"] == Decimal("20000.00")
        assert draft.values["published_on"] == date(2024, 12, 6)
        assert draft.values["decision_date"] is None
        assert draft.values["published_where"] == "national"
        assert draft.values["penalty_class"] == "general"
        assert draft.company.kind == "法人及非法人组织"
        assert draft.company.uscc is None
        assert draft.department.name == "喀什金融监管分局"
        assert draft.department.province == "新疆维吾尔自治区"
        assert draft.department.code.startswith("dept-")

    def test_without_a_decision_number_the_identity_is_derived_and_warned(self):
        draft = nfra()
        assert draft.values["identity_derived"] is True
        assert {"derived_identity", "missing_decision_date"} <= set(draft.warnings)

    def test_identities_are_stable_and_hashes_follow_content(self):
        first, again = nfra(), nfra()
        assert (first.identity_key, first.content_hash) == (
            again.identity_key,
            again.content_hash,
        )
        changed = nfra(**{"罚款金额(元)": 30000})
        assert changed.identity_key == first.identity_key
        assert changed.content_hash != first.content_hash

    def test_the_long_and_short_name_of_an_office_are_one_department(self):
        long_name = nfra(**{"作出决定机关": "国家金融监督管理总局喀什监管分局"})
        assert long_name.department == nfra().department

    def test_a_missing_authority_is_taken_from_the_title_with_a_warning(self):
        draft = nfra(**{"作出决定机关": None, "所属省份": None})
        assert draft.department.name == "喀什金融监管分局"
        assert {"authority_from_title", "missing_province"} <= set(draft.warnings)

    def test_a_fine_named_but_not_given_is_warned(self):
        draft = nfra(**{"罚款金额(元)": None, "行政处罚内容": "罚款二十二万五千元"})
        assert "fine_amount_missing" in draft.warnings

    def test_scraper_noise_is_rejected(self):
        rejection = nfra(
            **{
                "当事人名称": "国家金融监督管理总局湖南监管局",
                "行政处罚内容": "2024年11月29日",
            }
        )
        assert isinstance(rejection, Rejection)
        assert rejection.reason == "party_is_authority"


class TestDates:
    DECIDED, PUBLISHED = "作出处罚决定的日期", "发布日期"

    @pytest.mark.parametrize(
        ("changes", "reason", "detail"),
        [
            (
                {DECIDED: "2030-11-30"},
                "date_in_future",
                "日期晚于今天：处罚决定日期2030-11-30",
            ),
            (
                {PUBLISHED: "2030-01-01"},
                "date_in_future",
                "日期晚于今天：公示日期2030-01-01",
            ),
            (
                {PUBLISHED: "1900-01-01"},
                "date_too_old",
                "日期早于1990年，不是可信的处罚日期：公示日期1900-01-01",
            ),
        ],
    )
    def test_a_date_after_today_or_before_1990_rejects_the_row(
        self, changes, reason, detail
    ):
        rejection = nfra(**changes)

        assert isinstance(rejection, Rejection)
        assert (rejection.reason, rejection.detail) == (reason, detail)

    def test_today_in_shanghai_is_not_the_future(self):
        assert isinstance(nfra(**{self.PUBLISHED: TODAY}), PenaltyDraft)

    def test_a_publication_before_the_decision_is_warned_and_kept(self):
        draft = nfra(**{self.DECIDED: "2024-12-20"})

        assert draft.values["decision_date"] == date(2024, 12, 20)
        assert "published_before_decision" in draft.warnings
        assert draft.notes["published_before_decision"] == (
            "公示日期2024-12-06早于处罚决定日期2024-12-20"
        )


class TestNationalRow:
    def draft(self, row=NATIONAL_ROW):
        columns = map_columns(NATIONAL_CODES, NATIONAL)
        return draft_row(5, row, columns, published_where="city", today=TODAY)

    def test_a_coded_row_is_read_in_ten_thousand_yuan(self):
        draft = self.draft()
        assert draft.values["fine_yuan"] == Decimal("2000.00")
        assert draft.values["decision_date"] == date(2024, 12, 11)
        assert draft.values["penalty_kinds"] == ["罚款", "没收违法所得"]
        assert draft.values["identity_derived"] is False
        assert draft.company.uscc == "91530100MA6NXQ2K1P"
        assert draft.department.code == "11530100MA6NXQ2K10"
        assert draft.warnings == ()

    def test_the_decision_number_and_authority_identify_the_record(self):
        other_party = self.draft(("另一家公司", *NATIONAL_ROW[1:]))
        assert other_party.identity_key == self.draft().identity_key

    def test_a_bad_check_character_is_a_warning_not_a_rejection(self):
        row = list(NATIONAL_ROW)
        row[2] = "91530100MA6NXQ2K1Q"
        draft = self.draft(tuple(row))
        assert draft.warnings == ("uscc_bad_check_character",)
        assert draft.company.uscc == "91530100MA6NXQ2K1Q"

    def test_a_malformed_code_falls_back_to_the_name(self):
        row = list(NATIONAL_ROW)
        row[2] = "9153010"
        draft = self.draft(tuple(row))
        assert draft.warnings == ("uscc_wrong_length",)
        assert draft.company.uscc is None


class TestNationalClass:
    """The class of a national-layout row: the content counts, and a declared
    class cannot lower a specific-severe finding."""

    HEADERS = (*NATIONAL_CODES, "失信类别")

    def draft(self, kinds: str, content: str, declared: str | None = None):
        row = list(NATIONAL_ROW)
        row[4:7] = [kinds, content, None]
        columns = map_columns(list(self.HEADERS), NATIONAL)
        return draft_row(
            5, (*row, declared), columns, published_where="city", today=TODAY
        )

    def test_a_licence_revoked_in_food_per_the_content_is_specific_severe(self):
        draft = self.draft("吊销许可证件", "吊销食品经营许可证")

        assert draft.values["penalty_class"] == "specific_severe"
        assert draft.values["class_reason"] == (
            "特定严重失信：食品药品领域处以吊销许可证件（规则 SS1）"
        )

    def test_a_declared_general_class_does_not_lower_it_and_is_warned(self):
        draft = self.draft("吊销许可证件", "吊销食品经营许可证", declared="一般失信")

        assert draft.values["penalty_class"] == "specific_severe"
        assert draft.values["class_reason"].endswith(
            "（规则 SS1）；明示的失信类别“一般失信”不能降低特定严重失信"
        )
        assert draft.warnings == ("declared_class_overruled",)

    def test_a_declared_class_still_decides_where_it_does_not_lower_one(self):
        draft = self.draft("吊销许可证件", "吊销金融许可证", declared="一般失信")

        assert (draft.values["penalty_class"], draft.warnings) == ("general", ())
        assert draft.values["class_reason"].endswith("（规则 D1）")
