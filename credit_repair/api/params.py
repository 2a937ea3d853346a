"""Path and query parameters shared by the routes: ids and pagination."""

from typing import Annotated

from fastapi import Path, Query

from credit_repair.api.types import LARGEST_ID

PathId = Annotated[int, Path(ge=1, le=LARGEST_ID)]
Limit = Annotated[int, Query(ge=1, le=500, description="Items per page")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip")]
