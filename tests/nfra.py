"""The real NFRA penalty notices of ``../shared/data``, loaded with the importer.

The data set stays outside the project. It is looked up in
``$CREDIT_REPAIR_SHARED_DATA`` when that is set, else in ``shared/data`` beside the
checkout or beside any folder above it.
"""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from credit_repair.importing import import_file

FILE_NAME = "nfra-institutions.xlsx"


def shared_data() -> Path:
    """The folder that holds the real data set (which may not exist)."""
    if configured := os.environ.get("CREDIT_REPAIR_SHARED_DATA"):
        return Path(configured)
    checkout = Path(__file__).resolve().parents[1]
    for folder in checkout.parents:
        if (folder / "shared" / "data" / FILE_NAME).exists():
            return folder / "shared" / "data"
    return checkout.parent / "shared" / "data"


WORKBOOK = shared_data() / FILE_NAME
LOADED = datetime(2026, 5, 1, tzinfo=UTC)  # after the newest notice (2026-04-29)


def load(engine) -> int:
    """Import every usable notice as a published record; returns how many."""
    if not WORKBOOK.exists():
        pytest.fail(
            f"the real data set is missing: {WORKBOOK} "
            "(set CREDIT_REPAIR_SHARED_DATA to its folder)"
        )
    summary = import_file(engine, WORKBOOK, WORKBOOK.name, clock_now=LOADED)
    return summary.imported
