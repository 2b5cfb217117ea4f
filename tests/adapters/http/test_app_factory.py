"""The shared role app: request ids, problem details for every error, health, metrics, timeouts."""

from __future__ import annotations

import asyncio
import json
import logging

import msgspec
import pytest
from dishka import make_async_container
from litestar import get, post
from litestar.params import JSONBody
from litestar.testing import AsyncTestClient

from kisum.adapters.http.common.app import RoleAppSpec, create_role_app
from kisum.config import Role, Settings
from kisum.domain.errors import Conflict, RateLimited, Unavailable


class GreetingBody(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    display_name: str


@post("/greetings", sync_to_thread=False)
def greet(data: JSONBody[GreetingBody]) -> dict[str, str]:
    return {"hello": data.display_name}


@get("/conflict", sync_to_thread=False)
def conflict() -> None:
    raise Conflict("that key is taken", code="DUPLICATE_KEY")


@get("/busy", sync_to_thread=False)
def busy() -> None:
    raise RateLimited("slow down", retry_after_seconds=7)


@get("/down", sync_to_thread=False)
def down() -> None:
    raise Unavailable("auth is down", retry_after_seconds=3, code="ACCESS_UNAVAILABLE")


@get("/boom", sync_to_thread=False)
def boom() -> None:
    raise RuntimeError("secret stack detail")


@get("/slow")
async def slow() -> None:
    await asyncio.sleep(5)


def _app(*, timeout: float = 5.0, checks: tuple = ()) -> object:
    settings = Settings(request_timeout_seconds=timeout)
    spec = RoleAppSpec(
        role=Role.CORE,
        route_handlers=[greet, conflict, busy, down, boom, slow],
        readiness_checks=checks,
    )
    return create_role_app(spec, settings, make_async_container())


@pytest.fixture
async def client() -> AsyncTestClient:
    async with AsyncTestClient(app=_app()) as client:
        yield client


async def test_well_formed_request_id_is_echoed(client: AsyncTestClient) -> None:
    response = await client.get("/health/live", headers={"x-request-id": "abc-123"})
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "abc-123"


async def test_malformed_request_id_is_replaced(client: AsyncTestClient) -> None:
    response = await client.get("/health/live", headers={"x-request-id": "bad id\twith spaces"})
    assert response.headers["x-request-id"] != "bad id\twith spaces"
    assert len(response.headers["x-request-id"]) == 32


async def test_router_404_is_a_problem_with_request_id(client: AsyncTestClient) -> None:
    response = await client.get("/nowhere", headers={"x-request-id": "r-404"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "NOT_FOUND"
    assert body["status"] == 404
    assert body["requestId"] == "r-404"
    assert response.headers["x-request-id"] == "r-404"
    assert set(body) >= {"type", "title", "status", "detail", "code", "requestId"}


async def test_router_405_is_a_problem(client: AsyncTestClient) -> None:
    response = await client.delete("/greetings")
    assert response.status_code == 405
    assert response.json()["code"] == "METHOD_NOT_ALLOWED"


async def test_unknown_field_is_400_naming_the_field(client: AsyncTestClient) -> None:
    response = await client.post("/greetings", json={"displayName": "Ada", "isAdmin": True})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "VALIDATION_ERROR"
    assert "isAdmin" in body["detail"]


async def test_ill_typed_field_is_400_naming_the_field(client: AsyncTestClient) -> None:
    response = await client.post("/greetings", json={"displayName": 42})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "displayName"


async def test_camel_case_body_is_accepted(client: AsyncTestClient) -> None:
    response = await client.post("/greetings", json={"displayName": "Ada"})
    assert response.status_code == 201
    assert response.json() == {"hello": "Ada"}


async def test_domain_conflict_is_409_with_its_code(client: AsyncTestClient) -> None:
    response = await client.get("/conflict")
    assert response.status_code == 409
    assert response.json()["code"] == "DUPLICATE_KEY"


async def test_rate_limited_carries_retry_after(client: AsyncTestClient) -> None:
    response = await client.get("/busy")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"


async def test_unavailable_is_503_with_retry_after(client: AsyncTestClient) -> None:
    response = await client.get("/down")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "3"
    assert response.json()["code"] == "ACCESS_UNAVAILABLE"


async def test_unexpected_error_is_500_without_the_stack(
    client: AsyncTestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = await client.get("/boom")
    assert response.status_code == 500
    assert response.json()["code"] == "INTERNAL_ERROR"
    assert "secret stack detail" not in response.text
    assert any("secret stack detail" in str(record.exc_info) for record in caplog.records)


async def test_overrunning_request_is_504() -> None:
    async with AsyncTestClient(app=_app(timeout=0.1)) as client:
        response = await client.get("/slow")
    assert response.status_code == 504
    assert response.json()["code"] == "REQUEST_TIMEOUT"


async def test_readiness_is_503_while_a_dependency_is_down() -> None:
    async def database() -> None:
        raise ConnectionError("refused")

    async with AsyncTestClient(app=_app(checks=(("database", database),))) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 503
    assert "database" in response.json()["detail"]


async def test_readiness_is_200_when_dependencies_answer() -> None:
    async def database() -> None:
        return None

    async with AsyncTestClient(app=_app(checks=(("database", database),))) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 200


async def test_metrics_count_requests_by_route_template(client: AsyncTestClient) -> None:
    await client.post("/greetings", json={"displayName": "Ada"})
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert 'route="/greetings"' in response.text
    assert 'status="201"' in response.text


async def test_each_request_writes_one_json_access_line(
    client: AsyncTestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="kisum.access"):
        await client.get("/health/live", headers={"x-request-id": "log-me"})
    from kisum.adapters.http.common.logging import JsonFormatter

    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "kisum.access"]
    assert len(lines) == 1
    assert lines[0]["requestId"] == "log-me"
    assert lines[0]["role"] == "core"
    assert lines[0]["status"] == 200
    assert lines[0]["route"] == "/health/live"
    assert "durationMs" in lines[0]


async def test_start_up_objects_are_frozen_out_of_the_collector() -> None:
    import gc

    gc.unfreeze()
    async with AsyncTestClient(app=_app()):
        assert gc.get_freeze_count() > 0
    gc.unfreeze()


async def test_openapi_names_how_each_role_is_called() -> None:
    from kisum.adapters.http.common.app import SECURITY_SCHEMES

    spec = RoleAppSpec(role=Role.CORE, route_handlers=[greet], security=("service",))
    app = create_role_app(spec, Settings(), make_async_container())
    async with AsyncTestClient(app=app) as client:
        document = (await client.get("/schema/openapi.json")).json()
    assert set(document["components"]["securitySchemes"]) == set(SECURITY_SCHEMES)
    assert document["components"]["securitySchemes"]["org"] == {
        "type": "apiKey",
        "description": "The id of the active company.",
        "name": "x-org",
        "in": "header",
    }
    assert document["security"] == [{"service": []}]
