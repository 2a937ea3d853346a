"""Prometheus metrics of one app, in its own registry: HTTP latency measured here,
and case, transition, deadline and escalation figures read from the database at
scrape time (so they agree whichever process did the work)."""

import structlog
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
)
from prometheus_client.registry import Collector

from credit_repair.persistence import stats
from credit_repair.persistence.db import reading

log = structlog.get_logger("credit_repair.metrics")

LATENESS_BOUNDS = (1.0, 10.0, 60.0, 300.0, 900.0, 3600.0, 21600.0, 86400.0, 259200.0)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class StoredFigures(Collector):
    """Figures counted in the tables each time Prometheus scrapes."""

    def __init__(self, engine) -> None:
        self.engine = engine

    def describe(self):
        return []

    def collect(self):
        try:
            with reading(self.engine) as conn:
                cases = stats.cases_by_state(conn)
                transitions = stats.transitions_by_event(conn)
                lateness = stats.fired_deadline_lateness(conn, LATENESS_BOUNDS)
                escalations = stats.escalations_by_department(conn)
        except Exception:
            log.exception("metrics_query_failed")
            return
        yield _family(
            GaugeMetricFamily,
            "credit_repair_cases",
            "Cases by procedure and state.",
            ["procedure", "state"],
            cases,
        )
        yield _family(
            CounterMetricFamily,
            "credit_repair_transitions",
            "Logged transitions by machine and event, creations included.",
            ["machine", "event"],
            transitions,
        )
        yield _family(
            CounterMetricFamily,
            "credit_repair_department_escalations",
            "Escalations of cases whose department answered late.",
            ["department"],
            escalations,
        )
        yield _family(
            CounterMetricFamily,
            "credit_repair_deadlines_fired",
            "Deadlines fired by the scheduler, by kind.",
            ["kind"],
            [(late.kind, late.count) for late in lateness],
        )
        fired = HistogramMetricFamily(
            "credit_repair_deadline_lateness_seconds",
            "How long after its due instant each deadline fired.",
            labels=["kind"],
        )
        for late in lateness:
            buckets = [(_le(bound), n) for bound, n in late.buckets]
            fired.add_metric(
                [late.kind], [*buckets, ("+Inf", late.count)], late.total_seconds
            )
        yield fired


def _family(cls, name: str, documentation: str, labels: list[str], rows):
    family = cls(name, documentation, labels=labels)
    for *values, count in rows:
        family.add_metric([str(v) for v in values], count)
    return family


def _le(bound: float) -> str:
    return f"{bound:g}"


class ServiceMetrics:
    """The registry of one app and the instruments the middleware updates."""

    def __init__(self, engine) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.http_latency = Histogram(
            "credit_repair_http_request_duration_seconds",
            "HTTP request latency by method, route template and status.",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(StoredFigures(engine))

    def render(self) -> bytes:
        return generate_latest(self.registry)
