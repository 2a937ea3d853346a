"""Benchmarks: each module runs on its own (``python -m bench.<name>``) and offers
``run()`` returning rows of figures for a report."""
