"""Benchmarks of the credit-repair service; each module has a ``run`` function."""
