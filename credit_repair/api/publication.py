"""The portal's feed of publication changes: records taken offline or published
again, in order, read from a sequence number on."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from credit_repair.api.auth import STAFF_READERS, allow
from credit_repair.api.deps import read
from credit_repair.api.responses import PublicationFeed
from credit_repair.api.types import LARGEST_ID
from credit_repair.persistence.listings import publication_changes
from credit_repair.persistence.tokens import TokenHolder

router = APIRouter(prefix="/api/v1", tags=["publication"])


@router.get("/publication-changes", response_model=PublicationFeed)
def changes(
    request: Request,
    after: Annotated[int, Query(ge=0, le=LARGEST_ID, description="Last seq seen")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    holder: TokenHolder = Depends(allow(*STAFF_READERS)),
):
    """Changes after ``after``; poll again with ``next_after``."""
    with read(request) as conn:
        items = publication_changes(conn, after, limit)
    return {"items": items, "next_after": items[-1]["seq"] if items else after}
