"""Bearer-token callers and the roles a route admits. Roles: ``office`` (信用办),
``department`` (bound to one department's records), ``intake`` (portal and
application intake) and ``auditor`` (read-only)."""

from collections.abc import Callable

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from credit_repair.api.deps import read
from credit_repair.api.errors import Unauthorized
from credit_repair.persistence.tokens import TokenHolder, holder_of
from credit_repair.workflow.errors import Forbidden

EVERYONE = ("office", "department", "intake", "auditor")
STAFF_READERS = ("office", "intake", "auditor")
FILERS = ("office", "intake")

bearer = HTTPBearer(
    auto_error=False,
    description="A token made with `credit-repair token create`.",
)


def caller(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Security(bearer),
) -> TokenHolder:
    """The holder of the request's bearer token; 401 without a valid one."""
    if credentials is None:
        raise Unauthorized("send 'Authorization: Bearer <token>'")
    with read(request) as conn:
        holder = holder_of(conn, credentials.credentials)
    if holder is None:
        raise Unauthorized("the bearer token is unknown or revoked")
    request.state.token_id = holder.id
    return holder


def allow(*roles: str) -> Callable[..., TokenHolder]:
    """A dependency admitting callers of ``roles`` only (403 for the others)."""

    def admitted(holder: TokenHolder = Depends(caller)) -> TokenHolder:
        if holder.role not in roles:
            raise Forbidden(
                holder.actor.label, f"this needs the role {' or '.join(roles)}"
            )
        return holder

    return admitted


def require_own_department(holder: TokenHolder, department_code: str) -> None:
    """A department caller may see and act on its own department's records only."""
    if holder.role == "department" and holder.department_code != department_code:
        raise Forbidden(
            holder.actor.label,
            f"the record belongs to department {department_code}, "
            f"not {holder.department_code}",
        )


def department_filter(holder: TokenHolder, asked: str | None) -> str | None:
    """The department a list is limited to: a department caller's own, always."""
    if holder.role != "department":
        return asked
    if asked is not None:
        require_own_department(holder, asked)
    return holder.department_code
