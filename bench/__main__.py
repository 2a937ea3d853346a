"""``python -m bench``: run every benchmark with its defaults."""

from bench import bench_batch

bench_batch.main()
