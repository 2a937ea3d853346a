"""``python -m bench [--postgres URL] [--seconds N]``: the HTTP benchmark."""

from bench.bench_http import main

main()
