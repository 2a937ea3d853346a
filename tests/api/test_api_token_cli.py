"""``credit-repair token``: a token is printed once, stored as its hash only,
works against the API, is listed, and stops working when revoked."""

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from credit_repair.cli import app as cli
from credit_repair.persistence.tables import ApiToken
from credit_repair.persistence.tokens import holder_of, secret_hash
from credit_repair.settings import get_settings


@pytest.fixture
def run(monkeypatch, database_url):
    monkeypatch.setenv("CREDIT_REPAIR_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(cli, list(args))
    get_settings.cache_clear()


def test_create_prints_the_secret_once_and_stores_only_its_hash(run, engine):
    made = run("token", "create", "--role", "department", "--department", "SCJGJ")

    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("crt_")
    with engine.connect() as conn:
        stored = conn.execute(select(ApiToken.__table__)).one()
        holder = holder_of(conn, secret)
    assert stored.token_hash == secret_hash(secret)
    assert secret not in repr(tuple(stored))
    assert (holder.role, holder.department_code, holder.name) == (
        "department",
        "SCJGJ",
        "department SCJGJ",
    )


def test_list_and_revoke(run, engine):
    made = run("token", "create", "--role", "auditor", "--name", "审计员")
    secret = made.stdout.strip().splitlines()[-1]

    listed = run("token", "list")
    revoked = run("token", "revoke", "1")

    assert "auditor" in listed.stdout and "审计员" in listed.stdout
    assert revoked.exit_code == 0
    assert "revoked" in run("token", "list").stdout
    with engine.connect() as conn:
        assert holder_of(conn, secret) is None


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--role", "king"], "role"),
        (["--role", "department"], "department"),
        (["--role", "office", "--department", "X"], "department"),
    ],
)
def test_bad_requests_are_refused(run, args, problem):
    result = run("token", "create", *args)

    assert result.exit_code == 1
    assert f"error: {problem}:" in result.output


def test_revoking_an_unknown_token_fails(run):
    assert run("token", "revoke", "99").exit_code == 1
