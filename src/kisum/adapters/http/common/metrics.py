"""Prometheus metrics, one registry per app so several roles can share a process (``kisum dev``)."""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client import metrics as prometheus_metrics
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.metrics_core import Metric
from prometheus_client.utils import INF, floatToGoString

UNMATCHED_ROUTE = "<unmatched>"

REQUESTS = ("kisum_http_requests", "HTTP requests by route template and status.")
LATENCY = ("kisum_http_request_duration_seconds", "HTTP request latency by route template.")
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class _Count:
    """One child of the request counter: what ``Counter(...).labels(...)`` keeps, without its lock."""

    __slots__ = ("created", "value")

    def __init__(self) -> None:
        self.value = 0
        self.created = time.time()


class _Latency:
    """One child of the latency histogram: a count per bucket (not cumulative) and the sum."""

    __slots__ = ("buckets", "created", "sum")

    def __init__(self, size: int) -> None:
        self.buckets = [0] * size
        self.sum = 0.0
        self.created = time.time()


class _HttpRequests:
    """The request counter and latency histogram of every role, as one collector.

    ``Counter.inc`` and ``Histogram.observe`` take a lock per value they touch (four per request),
    which cost more than the rest of the bookkeeping of ``/health/live``. The middleware runs on the
    event loop's thread, so plain numbers do; ``collect`` gives the samples ``prometheus_client``'s
    own Counter and Histogram give for the same observations (names, labels, ``_created``).
    """

    def __init__(self, role: str) -> None:
        self.role = role
        self.bounds = [*LATENCY_BUCKETS, INF]
        self.le = [floatToGoString(bound) for bound in self.bounds]  # type: ignore[no-untyped-call]
        self.series: dict[tuple[str, str, int], tuple[_Count, _Latency]] = {}
        self.counts: dict[tuple[str, str, int], _Count] = {}
        self.latencies: dict[tuple[str, str], _Latency] = {}

    def new_series(self, method: str, route: str, status: int) -> tuple[_Count, _Latency]:
        count = self.counts[(method, route, status)] = _Count()
        latency = self.latencies.get((method, route))
        if latency is None:
            latency = self.latencies[(method, route)] = _Latency(len(self.bounds))
        series = self.series[(method, route, status)] = (count, latency)
        return series

    def describe(self) -> Iterable[Metric]:
        return [Metric(REQUESTS[0], REQUESTS[1], "counter"), Metric(LATENCY[0], LATENCY[1], "histogram")]

    def collect(self) -> Iterable[Metric]:
        created = prometheus_metrics._use_created  # PROMETHEUS_DISABLE_CREATED_SERIES, as Counter reads it
        requests = Metric(REQUESTS[0], REQUESTS[1], "counter")
        for (method, route, status), count in list(self.counts.items()):
            labels = {"role": self.role, "method": method, "route": route, "status": str(status)}
            requests.add_sample(REQUESTS[0] + "_total", labels, float(count.value))
            if created:
                requests.add_sample(REQUESTS[0] + "_created", labels, count.created)
        latency = Metric(LATENCY[0], LATENCY[1], "histogram")
        for (method, route), child in list(self.latencies.items()):
            labels = {"role": self.role, "method": method, "route": route}
            cumulative = 0.0
            for le, in_bucket in zip(self.le, child.buckets, strict=True):
                cumulative += in_bucket
                latency.add_sample(LATENCY[0] + "_bucket", {**labels, "le": le}, cumulative)
            latency.add_sample(LATENCY[0] + "_count", labels, cumulative)
            latency.add_sample(LATENCY[0] + "_sum", labels, child.sum)
            if created:
                latency.add_sample(LATENCY[0] + "_created", labels, child.created)
        return [requests, latency]


class Metrics:
    """The HTTP metrics every role has, plus named counters a role adds for its own events."""

    def __init__(self, role: str) -> None:
        self.role = role
        self.registry = CollectorRegistry(auto_describe=True)
        self._http = _HttpRequests(role)
        self.registry.register(self._http)
        self._counters: dict[str, Counter] = {}
        # Labelled children, looked up once per label set: ``labels()`` takes a lock, validates
        # and joins the values on every call. Keys are route templates, methods, statuses and
        # codes (bounded sets), never raw paths, so these stay small.
        self._counter_children: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        http = self._http
        series = http.series.get((method, route, status))
        if series is None:
            series = http.new_series(method, route, status)
        count, latency = series
        count.value += 1
        latency.buckets[bisect_left(http.bounds, seconds)] += 1
        latency.sum += seconds

    def counter(self, name: str, documentation: str, labels: tuple[str, ...] = ()) -> Counter:
        """A role-specific counter (e.g. permission denials), created once and reused."""
        if name not in self._counters:
            self._counters[name] = Counter(name, documentation, ["role", *labels], registry=self.registry)
        return self._counters[name]

    def increment(self, name: str, documentation: str, **labels: str) -> None:
        key = (name, tuple(labels.items()))
        child = self._counter_children.get(key)
        if child is None:
            child = self.counter(name, documentation, tuple(labels)).labels(role=self.role, **labels)
            self._counter_children[key] = child
        child.inc()

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
