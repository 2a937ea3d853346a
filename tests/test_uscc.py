"""The GB 32100 check of unified social credit codes, for every authority."""

import pytest

from credit_repair.workflow.uscc import (
    REGISTRATION_AUTHORITIES,
    check_character,
    check_uscc,
)

# One valid code per registration authority (character 1) and a kind of organisation
# (character 2); check characters worked out by hand from GB 32100's weights.
VALID_CODES = {
    "1": "11530100MA6NXQ2K10",  # 机构编制: 机关
    "2": "21530100MA6NXQ2K1Y",  # 外交
    "3": "31530100MA6NXQ2K1X",  # 司法行政: 律师事务所
    "4": "41530100MA6NXQ2K1W",  # 文化
    "5": "51530100MA6NXQ2K1U",  # 民政: 社会团体
    "6": "61530100MA6NXQ2K1T",  # 旅游
    "7": "71530100MA6NXQ2K1R",  # 宗教
    "8": "81530100MA6NXQ2K1Q",  # 工会
    "9": "91530100MA6NXQ2K1P",  # 市场监督管理: 企业
    "A": "A1530100MA6NXQ2K1N",  # 中央军委改革和编制办公室
    "N": "N2530100MA6NXQ2K17",  # 农业: 村级集体经济组织
    "Y": "Y1530100MA6NXQ2K12",  # 其他
}


class TestValidCodes:
    def test_every_registration_authority_has_a_case(self):
        assert set(VALID_CODES) == set(REGISTRATION_AUTHORITIES)

    @pytest.mark.parametrize("code", VALID_CODES.values())
    def test_a_valid_code_passes_whatever_its_first_character(self, code):
        result = check_uscc(code)
        assert result.ok and result.well_formed
        assert result.problem is None

    def test_the_example_of_the_standard_passes(self):
        assert check_uscc("91350100M000100Y43").ok

    @pytest.mark.parametrize(
        "written",
        [" 91350100m000100y43 ", "91350100-M000100Y43", "９１350100M000100Y43"],
    )
    def test_case_spaces_and_full_width_digits_are_folded(self, written):
        result = check_uscc(written)
        assert result.ok
        assert result.code == "91350100M000100Y43"

    def test_the_check_character_is_computed_from_the_first_seventeen(self):
        assert check_character("91350100M000100Y4") == "3"
        assert check_character("N2530100MA6NXQ2K1") == "7"


class TestFailedCodes:
    @pytest.mark.parametrize(
        ("code", "expected"),
        [
            ("91350100M000100Y44", "3"),
            ("A1530100MA6NXQ2K10", "N"),
            ("Y1530100MA6NXQ2K1P", "2"),
        ],
    )
    def test_a_wrong_check_character_is_reported_with_the_right_one(
        self, code, expected
    ):
        result = check_uscc(code)
        assert result.problem == "bad_check_character"
        assert result.well_formed and not result.ok
        assert f"应为{expected}" in result.reason

    @pytest.mark.parametrize("code", ["9135010M000100Y43", "91350100M000100Y431", ""])
    def test_a_wrong_length_is_named(self, code):
        result = check_uscc(code)
        assert result.problem == "wrong_length"
        assert not result.well_formed

    @pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
    def test_letters_outside_the_alphabet_are_named(self, letter):
        result = check_uscc(f"91350100M000100{letter}43")
        assert result.problem == "bad_characters"
        assert letter in result.reason
