"""The batch benchmark still runs, on a few thousand records."""

from bench import bench_batch


def test_the_benchmark_reports_every_measurement():
    results = bench_batch.run(rows=3000, complete=600)

    names = [r["name"] for r in results]
    assert names == [
        "screen 3,000 records (sqlite)",
        f"answer {results[1]['items']:,} items (sqlite)",
        f"complete {results[2]['items']:,} items (sqlite)",
    ]
    assert results[0]["items"] > 1000
    assert results[1]["items"] == results[2]["items"] > 500
    for row in results:
        assert (
            row["seconds"] > 0
            and row["baseline_seconds"] >= 0
            and row["peak_rss_mb"] > 0
        )
