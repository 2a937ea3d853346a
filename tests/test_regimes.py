"""The shipped policy regimes and their loader."""

from datetime import date
from pathlib import Path

import pytest

from credit_repair.workflow.regimes import (
    DocumentKind,
    PenaltyClass,
    Procedure,
    RegimeFileError,
    UnknownRegimeError,
    available_regimes,
    load_regime,
    parse_regime,
)

LETTER = DocumentKind.COMMITMENT_LETTER
TRAINING = DocumentKind.TRAINING_CERTIFICATE
REPORT = DocumentKind.CREDIT_REPORT


class TestShippedRegimes:
    def test_three_regimes_are_shipped(self):
        assert available_regimes() == ["kunming-2020", "national-2023", "national-2026"]

    @pytest.mark.parametrize(
        ("name", "penalty_class", "minimum", "maximum"),
        [
            ("kunming-2020", "minor", 0, 0),
            ("kunming-2020", "general", 3, 12),
            ("kunming-2020", "severe", 6, 36),
            ("kunming-2020", "specific_severe", 36, 36),
            ("national-2023", "minor", 0, 0),
            ("national-2023", "general", 3, 12),
            ("national-2023", "severe", 12, 36),
            ("national-2023", "specific_severe", 36, 36),
            ("national-2026", "minor", 0, 3),
            ("national-2026", "general", 3, 12),
            ("national-2026", "severe", 12, 36),
            ("national-2026", "specific_severe", 36, 36),
        ],
    )
    def test_periods_by_class(self, name, penalty_class, minimum, maximum):
        regime = load_regime(name)
        assert regime.minimum_months(penalty_class) == minimum
        assert regime.maximum_months(penalty_class) == maximum

    @pytest.mark.parametrize(
        ("name", "in_force", "needs_training"),
        [
            ("kunming-2020", date(2019, 7, 1), True),
            ("national-2023", date(2023, 5, 1), False),
            ("national-2026", date(2026, 4, 1), False),
        ],
    )
    def test_identity_and_training(self, name, in_force, needs_training):
        regime = load_regime(name)
        assert regime.name == name
        assert regime.version
        assert len(regime.digest) == 8
        assert regime.in_force == in_force
        assert regime.severe_needs_training is needs_training

    @pytest.mark.parametrize("name", ["kunming-2020", "national-2023", "national-2026"])
    def test_step_deadlines(self, name):
        regime = load_regime(name)
        assert regime.training_proof_days == 7
        assert regime.request_confirmation_working_days == 1
        assert regime.confirmation_working_days == 1
        assert regime.reminder_working_days == 1
        assert regime.batch_confirmation_working_days == 3
        assert regime.batch_review_working_days == 3
        assert regime.batch_notice_working_days == 1

    @pytest.mark.parametrize(
        ("name", "procedure", "penalty_class", "documents"),
        [
            ("kunming-2020", "commitment", "general", (LETTER,)),
            ("kunming-2020", "commitment", "severe", (LETTER,)),
            ("kunming-2020", "instant", "general", (LETTER,)),
            ("kunming-2020", "instant", "severe", (LETTER, TRAINING, REPORT)),
            ("kunming-2020", "batch", "severe", ()),
            ("national-2023", "instant", "severe", (LETTER,)),
            ("national-2026", "commitment", "severe", (LETTER,)),
        ],
    )
    def test_required_documents(self, name, procedure, penalty_class, documents):
        regime = load_regime(name)
        assert regime.required_documents(procedure, penalty_class) == documents

    def test_severe_training_proof_follows_a_kunming_commitment_only(self):
        assert load_regime("kunming-2020").follow_up_documents("severe") == (
            TRAINING,
            REPORT,
        )
        assert load_regime("kunming-2020").follow_up_documents("general") == ()
        assert load_regime("national-2023").follow_up_documents("severe") == ()

    def test_every_procedure_and_class_has_a_document_list(self):
        for name in available_regimes():
            regime = load_regime(name)
            for procedure in Procedure:
                for penalty_class in PenaltyClass:
                    regime.required_documents(procedure, penalty_class)


class TestLoading:
    def test_an_unknown_name_lists_the_available_ones(self):
        with pytest.raises(UnknownRegimeError) as caught:
            load_regime("shanghai-2030")
        assert "kunming-2020, national-2023, national-2026" in str(caught.value)
        assert caught.value.name == "shanghai-2030"

    def test_a_path_is_not_a_regime_name(self):
        with pytest.raises(UnknownRegimeError):
            load_regime("../regimes/kunming-2020")

    def test_an_unknown_class_is_refused(self):
        with pytest.raises(ValueError):
            load_regime("kunming-2020").minimum_months("catastrophic")


class TestParsing:
    @pytest.fixture
    def text(self) -> str:
        path = Path(__file__).parent.parent / "credit_repair/regimes/kunming-2020.toml"
        return path.read_text(encoding="utf-8")

    def test_the_digest_follows_the_content(self, text):
        assert parse_regime(text, "kunming-2020") == load_regime("kunming-2020")
        edited = parse_regime(text + "\n# a comment\n", "kunming-2020")
        assert edited.digest != load_regime("kunming-2020").digest

    @pytest.mark.parametrize(
        ("old", "new", "problem"),
        [
            ('name = "kunming-2020"', 'name = "other"', "names itself"),
            (
                "specific_severe = { minimum = 36",
                "specific_severe = { minimum = 6",
                "exactly the severe maximum",
            ),
            (
                "general = { minimum = 3, maximum = 12 }",
                "general = { minimum = 13, maximum = 12 }",
                "minimum > maximum",
            ),
            ("minor = { minimum = 0, maximum = 0 }\n", "", "no periods for minor"),
            (
                "batch_review_working_days = 3",
                "batch_review_working_days = -3",
                "whole number",
            ),
            ('severe = ["commitment_letter"]\n', "", "lacks severe"),
            (
                "severe_needs_training = true",
                "severe_needs_training = false",
                "disagrees",
            ),
            ('general = ["commitment_letter"]', 'general = ["selfie"]', "bad value"),
            ('version = "1"\n', "", "missing or bad value"),
        ],
    )
    def test_a_contradictory_regime_is_refused(self, text, old, new, problem):
        assert old in text
        with pytest.raises(RegimeFileError, match=problem):
            parse_regime(text.replace(old, new, 1), "kunming-2020")
