"""Property-based requests generated from ``/openapi.json`` by schemathesis, valid
and invalid: none makes the API answer with a server error."""

import importlib
import os
from datetime import UTC, datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from credit_repair.persistence.tokens import create_token
from credit_repair.workflow import batches, commitment, instant
from credit_repair.workflow.model import Actor
from tests.factories import make_record

pytestmark = [pytest.mark.storage, pytest.mark.slow]


def _importer_installed() -> bool:
    try:
        importlib.import_module("credit_repair.importing")
    except ImportError:
        return False
    return True


HAS_IMPORTER = _importer_installed()
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))
INTAKE = Actor("portal", "intake")
OFFICE = Actor("王芳", "office")


def seeded(engine, wf) -> None:
    """Records with open and closed cases, an instant case and a batch with an
    item, so that ids 1..3 exist."""
    for _ in range(3):
        case = commitment.submit(wf, make_record(engine), "email", INTAKE)
    commitment.fire_event(wf, case.id, "withdraw", INTAKE)
    instant.apply(wf, make_record(engine, published_where="national"), INTAKE, [])
    batches.start_batch(wf, OFFICE)


def operations(app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path == "/api/v1/penalties/import" and not HAS_IMPORTER:
            continue
        yield operation


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_makes_a_server_error(app, engine, wf, mode):
    seeded(engine, wf)
    _holder, secret = create_token(engine, "office", datetime.now(UTC))
    headers = {"Authorization": f"Bearer {secret}"}
    checked = []

    for operation in operations(app):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        try:
            no_server_error()
        except Unsatisfiable:  # nothing invalid to send (no parameters, no body)
            assert mode is GenerationMode.NEGATIVE
            continue
        checked.append(f"{operation.method.upper()} {operation.path}")

    assert len(checked) >= (17 if mode is GenerationMode.POSITIVE else 12), checked
