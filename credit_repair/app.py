"""The FastAPI admin API: ``create_app`` wires settings, database, workflow,
routers, middleware and, unless told not to, the deadline scheduler."""

from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI

from credit_repair import __version__
from credit_repair.api import (
    audit,
    batch_items,
    batches,
    calendar,
    cases,
    errors,
    machines,
    notifications,
    ops,
    penalties,
    publication,
)
from credit_repair.api.idempotency import Idempotency
from credit_repair.api.metrics import ServiceMetrics
from credit_repair.api.middleware import BufferedBody, RequestContext
from credit_repair.bootstrap import build_scheduler, build_workflow, open_engine
from credit_repair.settings import Settings, get_settings
from credit_repair.workflow.context import Workflow

DESCRIPTION = """Credit-repair (信用修复) cases of the city credit office.

Send `Authorization: Bearer <token>` (made with `credit-repair token create`).
Roles: `office`, `department` (its own department's records), `intake`, `auditor`
(read-only). POSTs accept an `Idempotency-Key` header. Errors are JSON objects
with `error` (a code) and `message`."""


def create_app(
    settings: Settings | None = None,
    *,
    engine=None,
    workflow: Workflow | None = None,
    start_scheduler: bool = True,
) -> FastAPI:
    """The API on ``engine`` (default: the configured database, schema upgraded).

    With ``start_scheduler`` the deadline scheduler runs in this process while the
    app is up; shutdown waits for the jobs that are running.
    """
    settings = settings or get_settings()
    own_engine = engine is None
    engine = engine if engine is not None else open_engine(settings, create=True)
    workflow = workflow or build_workflow(engine, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if start_scheduler:
            app.state.scheduler = build_scheduler(workflow, engine, settings)
            app.state.scheduler.start()
        try:
            yield
        finally:
            if app.state.scheduler is not None:
                await to_thread.run_sync(app.state.scheduler.shutdown, True)
                app.state.scheduler = None
            if own_engine:
                engine.dispose()

    app = FastAPI(
        title="credit-repair",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.workflow = workflow
    app.state.scheduler = None
    app.state.metrics = ServiceMetrics(engine)

    errors.install(app)
    for area in (
        penalties,
        cases,
        notifications,
        batches,
        batch_items,
        calendar,
        publication,
        audit,
        machines,
        ops,
    ):
        app.include_router(area.router)
    app.add_middleware(Idempotency)
    app.add_middleware(BufferedBody, limit=settings.max_upload_bytes)
    app.add_middleware(RequestContext, metrics=app.state.metrics)
    return app
