"""Documents a company sends: safe names, size and SHA-256 taken on receipt."""

import hashlib
import unicodedata
from datetime import datetime
from pathlib import PurePosixPath, PureWindowsPath

from credit_repair.workflow.errors import InvalidInput
from credit_repair.workflow.model import DocumentData
from credit_repair.workflow.regimes import DocumentKind

MAX_NAME_LENGTH = 200


def safe_name(name: str) -> str:
    """The last path component of ``name`` without control characters.

    ``../../etc/passwd`` becomes ``passwd``; ``C:\\x\\y.pdf`` becomes ``y.pdf``.
    """
    base = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    cleaned = cleaned.lstrip(".") or "document"
    return cleaned[:MAX_NAME_LENGTH]


def receive_document(
    kind: str, name: str, content: bytes, received_at: datetime
) -> DocumentData:
    """A document record for ``content``; an unknown kind is refused."""
    kinds = [k.value for k in DocumentKind]
    if kind not in kinds:
        raise InvalidInput({"kind": f"{kind!r} is not one of {', '.join(kinds)}"})
    if not content:
        raise InvalidInput({"content": "the document is empty"})
    return DocumentData(
        kind=kind,
        name=safe_name(name),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        received_at=received_at,
        content=content,
    )
