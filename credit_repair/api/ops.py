"""Operations: liveness, readiness (saying what is missing) and Prometheus metrics.

Readiness needs the database, a current schema, a working scheduler when this
process runs one, and official working-day data for the current year. A next year
without official data (2027 is not in ``chinese-calendar``) is a warning, not a
failure: its deadlines are computed on weekdays, marked provisional, and escalate
to staff instead of acting, until staff load the year's table.
"""

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from credit_repair.api.deps import engine_of, workflow_of
from credit_repair.persistence.db import reading
from credit_repair.persistence.migrate import pending_revisions
from credit_repair.workflow.deadlines import BUSINESS_TZ

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """200 when ready (possibly with warnings), 503 listing what is missing."""
    checks = {
        "database": _database(request),
        "scheduler": _scheduler(request.app.state.scheduler),
    }
    if checks["database"]["ok"]:
        checks["migrations"] = _migrations(request)
    checks["calendar"] = _calendar(request)
    missing = [f"{name}: {c['detail']}" for name, c in checks.items() if not c["ok"]]
    warnings = checks["calendar"].pop("warnings")
    body = {"ready": not missing, "missing": missing, "warnings": warnings}
    return JSONResponse(body | {"checks": checks}, status_code=503 if missing else 200)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE_LATEST)


def _database(request: Request) -> dict:
    try:
        with reading(engine_of(request)) as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:
        return {"ok": False, "detail": f"unreachable ({type(exc).__name__})"}
    return {"ok": True, "detail": "reachable"}


def _migrations(request: Request) -> dict:
    pending = pending_revisions(engine_of(request))
    if pending:
        return {"ok": False, "detail": f"pending migrations {', '.join(pending)}"}
    return {"ok": True, "detail": "schema current"}


def _scheduler(scheduler) -> dict:
    if scheduler is None:
        return {"ok": True, "detail": "not run by this process"}
    if not scheduler.running:
        return {"ok": False, "detail": "stopped"}
    if not scheduler.leading:
        return {"ok": True, "detail": "standby: another process holds the lead"}
    allowed = timedelta(seconds=3 * scheduler.sweep_seconds + 5)
    last = scheduler.last_sweep
    if last is None or datetime.now(UTC) - last > allowed:
        return {"ok": False, "detail": f"leading but no sweep since {last}"}
    return {"ok": True, "detail": f"leading; last sweep {last.isoformat()}"}


def _calendar(request: Request) -> dict:
    calendar = workflow_of(request).calendar
    year = workflow_of(request).clock.now().astimezone(BUSINESS_TZ).year
    sources = {y: calendar.source_of(y) for y in (year, year + 1)}
    warnings = []
    if sources[year + 1] is None:
        warnings.append(
            f"calendar: no official working-day data for {year + 1}; its deadlines "
            "are provisional (weekdays only) until the year's table is loaded"
        )
    check = {
        "ok": sources[year] is not None,
        "years": {str(y): source or "missing" for y, source in sources.items()},
        "version": calendar.version,
        "warnings": warnings,
    }
    check["detail"] = (
        f"official data for {year}"
        if check["ok"]
        else f"no official working-day data for the current year {year}"
    )
    return check
