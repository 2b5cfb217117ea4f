"""Prometheus metrics, one registry per app so several roles can share a process (``kisum dev``)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

UNMATCHED_ROUTE = "<unmatched>"


class Metrics:
    """The HTTP metrics every role has, plus named counters a role adds for its own events."""

    def __init__(self, role: str) -> None:
        self.role = role
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "kisum_http_requests",
            "HTTP requests by route template and status.",
            ["role", "method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "kisum_http_request_duration_seconds",
            "HTTP request latency by route template.",
            ["role", "method", "route"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
        )
        self._counters: dict[str, Counter] = {}
        # Labelled children, looked up once per label set: ``labels()`` takes a lock, validates
        # and joins the values on every call. Keys are route templates, methods, statuses and
        # codes (bounded sets), never raw paths, so these stay small.
        self._request_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self._counter_children: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        children = self._request_children.get(key)
        if children is None:
            children = (
                self.requests.labels(self.role, method, route, str(status)),
                self.latency.labels(self.role, method, route),
            )
            self._request_children[key] = children
        children[0].inc()
        children[1].observe(seconds)

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
