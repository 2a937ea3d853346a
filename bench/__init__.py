"""Benchmarks; each ``bench_*`` module has a ``run()`` returning rows of
``{name, ours_per_s, baseline_per_s, ratio}`` and prints them when run."""
