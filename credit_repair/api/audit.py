"""The audit log for auditors and the office: verify the hash chains, replay every
case through a fresh machine, export the log as JSON lines."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from credit_repair.api.auth import allow
from credit_repair.api.deps import engine_of
from credit_repair.persistence import audit_trail
from credit_repair.persistence.tokens import TokenHolder

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
AUDIT_READERS = ("office", "auditor")


@router.get("/verify")
def verify(request: Request, holder: TokenHolder = Depends(allow(*AUDIT_READERS))):
    """``ok`` when every chain is intact; otherwise each changed, missing, inserted
    or reordered row is named."""
    return audit_trail.verify(engine_of(request)).as_dict()


@router.get("/replay")
def replay(request: Request, holder: TokenHolder = Depends(allow(*AUDIT_READERS))):
    """Rebuild every case's state from its log and list any that differ."""
    return audit_trail.replay_all(engine_of(request)).as_dict()


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
def export(request: Request, holder: TokenHolder = Depends(allow(*AUDIT_READERS))):
    """One JSON object per row, in order, with the fields the hash covers."""
    lines = (line + "\n" for line in audit_trail.export_lines(engine_of(request)))
    return StreamingResponse(lines, media_type="application/x-ndjson")
