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
