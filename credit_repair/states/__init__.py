"""State-machine definitions, one module per procedure; no I/O, no storage."""
