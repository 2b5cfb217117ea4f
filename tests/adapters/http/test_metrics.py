"""The HTTP metrics reuse their labelled children and still count every request."""

from __future__ import annotations

from kisum.adapters.http.common.metrics import Metrics


def _sample(metrics: Metrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, {"role": metrics.role, **labels})


def test_observe_request_counts_each_label_set_apart() -> None:
    metrics = Metrics("basic")
    for _ in range(3):
        metrics.observe_request("GET", "/api/artists", 200, 0.002)
    metrics.observe_request("GET", "/api/artists", 404, 0.001)
    metrics.observe_request("POST", "/api/artists", 200, 0.02)

    assert _sample(metrics, "kisum_http_requests_total", method="GET", route="/api/artists", status="200") == 3
    assert _sample(metrics, "kisum_http_requests_total", method="GET", route="/api/artists", status="404") == 1
    assert _sample(metrics, "kisum_http_requests_total", method="POST", route="/api/artists", status="200") == 1
    assert _sample(metrics, "kisum_http_request_duration_seconds_count", method="GET", route="/api/artists") == 4
    assert b'route="/api/artists"' in metrics.render()[0]


def test_increment_counts_each_label_set_apart() -> None:
    metrics = Metrics("basic")
    metrics.increment("kisum_denials", "Denials.", code="PERMISSION_DENIED")
    metrics.increment("kisum_denials", "Denials.", code="PERMISSION_DENIED")
    metrics.increment("kisum_denials", "Denials.", code="MODULE_DISABLED")

    assert _sample(metrics, "kisum_denials_total", code="PERMISSION_DENIED") == 2
    assert _sample(metrics, "kisum_denials_total", code="MODULE_DISABLED") == 1


def test_http_samples_are_those_of_prometheus_counter_and_histogram() -> None:
    from prometheus_client import CollectorRegistry, Counter, Histogram

    from kisum.adapters.http.common.metrics import LATENCY, LATENCY_BUCKETS, REQUESTS

    observations = [
        ("GET", "/api/artists", 200, 0.0004),
        ("GET", "/api/artists", 200, 0.001),  # on a bucket's bound
        ("GET", "/api/artists", 404, 0.3),
        ("POST", "/api/artists", 201, 12.5),  # past the last bound
        ("GET", "<unmatched>", 404, 0.0),
    ]
    metrics = Metrics("basic")
    registry = CollectorRegistry(auto_describe=True)
    requests = Counter(*REQUESTS, ["role", "method", "route", "status"], registry=registry)
    latency = Histogram(*LATENCY, ["role", "method", "route"], registry=registry, buckets=LATENCY_BUCKETS)
    for method, route, status, seconds in observations:
        metrics.observe_request(method, route, status, seconds)
        requests.labels("basic", method, route, str(status)).inc()
        latency.labels("basic", method, route).observe(seconds)

    def samples(collected: object) -> list[tuple[str, str, str, dict[str, str], float]]:
        return [
            (family.name, family.type, sample.name, sample.labels, sample.value)
            for family in collected  # type: ignore[attr-defined]
            for sample in family.samples
            if not sample.name.endswith("_created")
        ]

    ours = [family for family in metrics.registry.collect() if family.name in (REQUESTS[0], LATENCY[0])]
    assert samples(ours) == samples(registry.collect())
    created = [s for family in ours for s in family.samples if s.name.endswith("_created")]
    assert len(created) == 4 + 3  # one per counter child and per histogram child, as prometheus_client
