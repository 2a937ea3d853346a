"""What companies, departments and the office were told (一次性告知, confirmation
requests, reminders, batch outcomes), read from an id on. Office and auditors
read every recipient's; a department its own; intake a company's."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from credit_repair.api.auth import EVERYONE, allow
from credit_repair.api.deps import read
from credit_repair.api.responses import NotificationFeed
from credit_repair.api.types import LARGEST_ID
from credit_repair.persistence.notifications import notifications
from credit_repair.persistence.tokens import TokenHolder
from credit_repair.workflow.errors import Forbidden

router = APIRouter(prefix="/api/v1", tags=["notifications"])

Recipient = Annotated[
    str | None,
    Query(
        pattern=r"^[a-z_]{1,40}(:[A-Za-z0-9][A-Za-z0-9_.\-]{0,63})?$",
        description="office, upper_level, company:ID or department:CODE",
    ),
]


def readable_recipient(holder: TokenHolder, asked: str | None) -> str | None:
    """The recipient a caller may read: any (or all) for office and auditors, a
    department's own, a named company's for intake; 403 otherwise."""
    if holder.role in ("office", "auditor"):
        return asked
    if holder.role == "department":
        own = f"department:{holder.department_code}"
        if asked not in (None, own):
            raise Forbidden(holder.actor.label, f"may read only {own}'s notifications")
        return own
    if asked is None or not asked.startswith("company:"):
        raise Forbidden(
            holder.actor.label, "may read only a company's: recipient=company:ID"
        )
    return asked


@router.get("/notifications", response_model=NotificationFeed)
def listing(
    request: Request,
    recipient: Recipient = None,
    after: Annotated[int, Query(ge=0, le=LARGEST_ID, description="Last id seen")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    holder: TokenHolder = Depends(allow(*EVERYONE)),
):
    """Notifications oldest first, with their delivery status; poll again with
    ``next_after``."""
    chosen = readable_recipient(holder, recipient)
    with read(request) as conn:
        items = notifications(conn, chosen, after_id=after, limit=limit)
    return {"items": items, "next_after": items[-1]["id"] if items else after}
