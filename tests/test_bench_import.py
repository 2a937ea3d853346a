"""The import benchmark runs end to end on a few rows and reports its figures."""

import pytest

from bench.bench_import import run


def test_the_benchmark_reports_both_rates_and_their_ratio():
    (result,) = run(rows=300)

    assert result["name"] == "import 300 rows, sqlite"
    assert result["ours_per_s"] > 0 and result["baseline_per_s"] > 0
    expected = result["ours_per_s"] / result["baseline_per_s"]
    assert result["ratio"] == pytest.approx(expected, rel=0.02)
