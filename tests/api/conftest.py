"""Fixtures of the API tests: an app on the test database with a fake clock, and
callers holding tokens of each role."""

import base64

import pytest
from fastapi.testclient import TestClient

from credit_repair.app import create_app
from credit_repair.persistence.tokens import create_token
from credit_repair.persistence.unit_of_work import SqlUnitOfWork
from credit_repair.settings import Settings
from credit_repair.workflow.calendar import WorkingCalendar
from credit_repair.workflow.context import Workflow
from credit_repair.workflow.regimes import load_regime
from tests.factories import department_code

LETTER = ("commitment_letter", "承诺书.pdf", b"%PDF commitment letter")
CERTIFICATE = ("training_certificate", "培训证明.pdf", b"%PDF training")
REPORT = ("credit_report", "信用修复报告.pdf", b"%PDF report")


def encoded(kind: str, name: str, content: bytes) -> dict:
    """A document as POST /api/v1/cases takes it."""
    return {
        "kind": kind,
        "name": name,
        "content_base64": base64.b64encode(content).decode(),
    }


def file_case(caller, penalty_id: int, *documents, **fields):
    """POST /api/v1/cases for a commitment; ``documents`` are (kind, name, bytes)."""
    body = {
        "procedure": "commitment",
        "penalty_id": penalty_id,
        "channel": "website",
        "documents": [encoded(*d) for d in documents],
    }
    return caller.post("/api/v1/cases", json=body | fields)


class Caller:
    """A client sending one token's ``Authorization`` header."""

    def __init__(self, client: TestClient, secret: str | None, name: str) -> None:
        self.client = client
        self.secret = secret
        self.name = name

    def _headers(self, extra: dict | None) -> dict:
        headers = dict(extra or {})
        if self.secret is not None:
            headers["Authorization"] = f"Bearer {self.secret}"
        return headers

    def get(self, path: str, headers: dict | None = None, **kwargs):
        return self.client.get(path, headers=self._headers(headers), **kwargs)

    def post(self, path: str, headers: dict | None = None, **kwargs):
        return self.client.post(path, headers=self._headers(headers), **kwargs)


@pytest.fixture
def wf(engine, clock) -> Workflow:
    return Workflow(
        unit_of_work=lambda: SqlUnitOfWork(engine, clock),
        clock=clock,
        calendar=WorkingCalendar(),
        regime=load_regime("kunming-2020"),
    )


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings(database_url=database_url, max_upload_bytes=64 * 1024)


@pytest.fixture
def app(settings, engine, wf):
    return create_app(settings, engine=engine, workflow=wf, start_scheduler=False)


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client


@pytest.fixture
def caller(client, engine, clock):
    """``caller(role, department=None, name=None)``: a client with a new token."""

    def make(role: str, department: str | None = None, name: str | None = None):
        holder, secret = create_token(engine, role, clock.now(), department, name)
        return Caller(client, secret, holder.name)

    return make


@pytest.fixture
def office(caller) -> Caller:
    return caller("office", name="王芳")


@pytest.fixture
def intake(caller) -> Caller:
    return caller("intake", name="portal")


@pytest.fixture
def auditor(caller) -> Caller:
    return caller("auditor", name="审计员")


@pytest.fixture
def department_of(caller, engine):
    """The department caller of a penalty record."""

    def make(penalty_id: int) -> Caller:
        return caller("department", department_code(engine, penalty_id), "李强")

    return make


@pytest.fixture
def anonymous(client) -> Caller:
    return Caller(client, None, "anonymous")
