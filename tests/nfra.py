"""The real NFRA penalty notices of ``../shared/data``, loaded with the importer."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from credit_repair.importing import import_file

WORKBOOK = (
    Path(__file__).parents[1].parent / "shared" / "data" / "nfra-institutions.xlsx"
)
LOADED = datetime(2026, 3, 1, tzinfo=UTC)


def load(engine) -> int:
    """Import every usable notice as a published record; returns how many."""
    if not WORKBOOK.exists():
        pytest.fail(f"the real data set is missing: {WORKBOOK}")
    summary = import_file(engine, WORKBOOK, WORKBOOK.name, clock_now=LOADED)
    return summary.imported
