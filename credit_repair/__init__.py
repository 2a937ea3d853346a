"""Credit-repair (信用修复) cases for a city credit office, run as persisted state machines."""

__version__ = "0.1.0"
