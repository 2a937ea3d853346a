"""What routes take from the running app: the engine, the workflow and the
settings, and short read-only connections."""

from fastapi import Request

from credit_repair.persistence.db import reading
from credit_repair.settings import Settings
from credit_repair.workflow.context import Workflow


def engine_of(request: Request):
    """The app's database engine, handed to persistence functions only."""
    return request.app.state.engine


def workflow_of(request: Request) -> Workflow:
    return request.app.state.workflow


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def read(request: Request):
    """A connection for a few reads: ``with read(request) as conn: ...``."""
    return reading(engine_of(request))
