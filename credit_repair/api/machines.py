"""The state machines: their states and events, and diagrams (Mermaid, or SVG
when Graphviz is installed), optionally with one case's path marked."""

import shutil
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import PlainTextResponse, Response

from credit_repair.api.auth import EVERYONE, allow, require_own_department
from credit_repair.api.deps import read
from credit_repair.api.errors import NotAcceptable
from credit_repair.api.types import Id
from credit_repair.persistence.tokens import TokenHolder
from credit_repair.persistence.views import case_history, case_owner
from credit_repair.workflow.diagrams import mermaid, svg
from credit_repair.workflow.errors import InvalidInput
from credit_repair.workflow.machines import MACHINES, machine_class

router = APIRouter(prefix="/api/v1/machines", tags=["machines"])
MachineName = Annotated[str, Path(pattern=r"^[a-z][a-z_]{0,39}$")]


@router.get("")
def machines(holder: TokenHolder = Depends(allow(*EVERYONE))) -> list[dict]:
    """Every machine with its states (stored value, Chinese label, final) and events."""
    return [
        {
            "name": name,
            "states": [
                {"value": s.value, "label": s.name, "final": s.final}
                for s in cls.states
            ],
            "events": sorted({e.id for e in cls.events}),
        }
        for name, cls in MACHINES.items()
    ]


@router.get(
    "/{name}/diagram",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}, "image/svg+xml": {}}}},
)
def diagram(
    name: MachineName,
    request: Request,
    format: Annotated[Literal["mermaid", "svg"], Query()] = "mermaid",
    case_id: Annotated[Id | None, Query(description="Mark this case's path")] = None,
    holder: TokenHolder = Depends(allow(*EVERYONE)),
):
    """Mermaid text by default; ``format=svg`` needs Graphviz on the server."""
    machine_class(name)
    if format == "svg":
        if shutil.which("dot") is None:
            raise NotAcceptable("SVG needs Graphviz on the server; ask for mermaid")
        return Response(svg(name), media_type="image/svg+xml")
    visited = None
    if case_id is not None:
        with read(request) as conn:
            procedure, department = case_owner(conn, case_id)
            require_own_department(holder, department)
            if procedure != name:
                raise InvalidInput({"case_id": f"is a {procedure} case, not {name}"})
            visited = [r["target"] for r in case_history(conn, case_id) if r["target"]]
    return PlainTextResponse(mermaid(name, visited))
