"""Credit-repair (信用修复) cases of a city credit office, as state machines."""

__version__ = "0.1.0"
