"""Requests sent to a running server and the ledger of their answers: every 2xx is
a promise the database must keep, every request without an answer an unknown."""

import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

LOCKED = "database is locked"


@dataclass
class Request:
    """One HTTP request with the facts needed to check its answer later.

    ``kind`` names the check that applies to its 2xx answer (see
    ``tests.hardening.promises``): ``file``, ``event``, ``document``, ``penalty``
    or ``import``.
    """

    kind: str
    role: str
    method: str
    path: str
    json: dict | None = None
    files: dict | None = None
    data: dict | None = None
    case_id: int | None = None
    event: str | None = None
    sha256: str | None = None
    key: str = field(default_factory=lambda: uuid.uuid4().hex)


@dataclass
class Answer:
    request: Request
    status: int
    body: Any
    replayed: bool = False

    @property
    def acknowledged(self) -> bool:
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        return str(self.body)


def send(client: httpx.Client, tokens: dict[str, str], request: Request):
    """The server's answer, or None when the connection failed (outcome unknown)."""
    headers = {
        "Authorization": f"Bearer {tokens[request.role]}",
        "Idempotency-Key": request.key,
    }
    try:
        response = client.request(
            request.method,
            request.path,
            headers=headers,
            json=request.json,
            files=request.files,
            data=request.data,
        )
    except httpx.TransportError:
        return None
    try:
        body = response.json()
    except ValueError:
        body = response.text
    replayed = response.headers.get("Idempotent-Replayed") == "true"
    return Answer(request, response.status_code, body, replayed)


class Ledger:
    """Every answer, and the requests whose outcome is unknown; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.answers: list[Answer] = []
        self.unknown: list[Request] = []

    def add(self, request: Request, answer: Answer | None) -> None:
        with self._lock:
            if answer is None:
                self.unknown.append(request)
            else:
                self.answers.append(answer)

    def take_unknown(self) -> list[Request]:
        with self._lock:
            taken, self.unknown = self.unknown, []
            return taken

    @property
    def acknowledged(self) -> list[Answer]:
        with self._lock:
            return [a for a in self.answers if a.acknowledged]

    @property
    def statuses(self) -> Counter:
        with self._lock:
            return Counter(a.status for a in self.answers)

    def failures(self) -> list[Answer]:
        """Answers no client should ever see: a server error, or a locked database."""
        with self._lock:
            return [a for a in self.answers if a.status >= 500 or LOCKED in a.text]

    def refusals_without_reason(self) -> list[Answer]:
        """409s that do not say why (an error code and a message)."""
        with self._lock:
            return [
                a
                for a in self.answers
                if a.status == 409
                and not (isinstance(a.body, dict) and a.body.get("error"))
            ]
