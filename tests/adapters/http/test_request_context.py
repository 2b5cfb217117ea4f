"""The outer layer of every role app: the request container on demand, time budgets, request ids."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from dishka import FromDishka, Provider, Scope, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar, Request, Response, get
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.params import FromPath
from litestar.testing import AsyncTestClient

from kisum.adapters.http.common.app import RoleAppSpec, create_role_app
from kisum.adapters.request_context import new_request_id
from kisum.config import Role, Settings


class Resource:
    def __init__(self, path: str) -> None:
        self.path = path


class Events(list[str]):
    """What the REQUEST-scope provider saw, in order."""


class ProbeProvider(Provider):
    def __init__(self, events: Events) -> None:
        super().__init__()
        self.events = events

    @provide(scope=Scope.REQUEST)
    async def resource(self, request: Request) -> AsyncIterator[Resource]:  # type: ignore[type-arg]  # dishka's key
        self.events.append(f"open {request.url.path}")
        try:
            yield Resource(request.url.path)
        finally:
            self.events.append(f"close {request.url.path}")


@get("/injected")
async def injected(resource: FromDishka[Resource]) -> dict[str, str]:
    return {"path": resource.path}


@get("/injected/fails")
async def injected_fails(resource: FromDishka[Resource]) -> None:
    raise RuntimeError(f"failed with {resource.path}")


@get("/injected/slow")
async def injected_slow(resource: FromDishka[Resource]) -> None:
    await asyncio.sleep(5)


async def resource_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    resource = await connection.state.dishka_container.get(Resource)
    connection.state["guarded"] = resource.path


@get("/guarded", guards=[resource_guard])
async def guarded(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {"guarded": request.state["guarded"]}


@get("/plain")
async def plain(request: Request[Any, Any, Any]) -> dict[str, bool]:
    return {"opened": request.scope["state"]["dishka_container"].opened is not None}


@get("/slow")
async def slow() -> None:
    await asyncio.sleep(5)


@get("/sleep/{seconds:float}")
async def sleep_for(seconds: FromPath[float]) -> dict[str, float]:
    await asyncio.sleep(seconds)
    return {"slept": seconds}


@get("/own-request-id")
async def own_request_id() -> Response[dict[str, str]]:
    return Response({"ok": "yes"}, headers={"x-request-id": "set-by-the-route"})


def _app(events: Events | None = None, *, timeout: float = 5.0) -> Litestar:
    spec = RoleAppSpec(
        role=Role.CORE,
        route_handlers=[injected, injected_fails, injected_slow, guarded, plain, slow, sleep_for, own_request_id],
    )
    container = make_async_container(ProbeProvider(events if events is not None else Events()), LitestarProvider())
    return create_role_app(spec, Settings(request_timeout_seconds=timeout), container)


async def test_injected_route_gets_a_request_container_closed_after_the_response() -> None:
    events = Events()
    async with AsyncTestClient(app=_app(events)) as client:
        response = await client.get("/injected")
        assert response.json() == {"path": "/injected"}
        assert events == ["open /injected", "close /injected"]
        await client.get("/injected")
    assert events == ["open /injected", "close /injected"] * 2  # one container per request


async def test_guard_gets_from_the_request_container() -> None:
    events = Events()
    async with AsyncTestClient(app=_app(events)) as client:
        response = await client.get("/guarded")
    assert response.json() == {"guarded": "/guarded"}
    assert events == ["open /guarded", "close /guarded"]


async def test_request_container_is_closed_after_a_route_error() -> None:
    events = Events()
    async with AsyncTestClient(app=_app(events)) as client:
        response = await client.get("/injected/fails")
    assert response.status_code == 500
    assert response.json()["code"] == "INTERNAL_ERROR"
    assert events == ["open /injected/fails", "close /injected/fails"]


async def test_route_without_injection_opens_no_container() -> None:
    events = Events()
    async with AsyncTestClient(app=_app(events)) as client:
        response = await client.get("/plain")
        assert (await client.get("/health/live")).status_code == 200
    assert response.json() == {"opened": False}
    assert events == []


async def test_timed_out_request_closes_its_container_and_is_a_504_with_the_request_id() -> None:
    events = Events()
    app = _app(events, timeout=0.2)
    async with AsyncTestClient(app=app) as client:
        response = await client.get("/injected/slow", headers={"x-request-id": "slow-1"})
        metrics = (await client.get("/metrics")).text
    assert response.status_code == 504
    assert response.json()["code"] == "REQUEST_TIMEOUT"
    assert response.json()["requestId"] == "slow-1"
    assert response.headers["x-request-id"] == "slow-1"
    assert events == ["open /injected/slow", "close /injected/slow"]
    assert 'route="/injected/slow",status="504"' in metrics


async def test_each_request_times_out_at_its_own_deadline() -> None:
    timeout = 0.3
    async with AsyncTestClient(app=_app(timeout=timeout)) as client:

        async def timed(path: str, delay: float) -> tuple[int, float]:
            await asyncio.sleep(delay)
            started = time.monotonic()
            response = await client.get(path)
            return response.status_code, time.monotonic() - started

        results = await asyncio.gather(
            timed("/slow", 0.0),
            timed("/sleep/0.05", 0.05),  # ends before its budget, between the others
            timed("/slow", 0.15),
            timed("/sleep/0.2", 0.2),  # still running when the first two budgets run out
        )
    (first, first_took), (fast, _), (second, second_took), (late, _) = results
    assert (first, fast, second, late) == (504, 200, 504, 200)
    for took in (first_took, second_took):
        assert timeout - 0.01 <= took < timeout + 1.0


async def test_timeouts_keep_working_after_an_idle_time() -> None:
    async with AsyncTestClient(app=_app(timeout=0.1)) as client:
        assert (await client.get("/slow")).status_code == 504
        assert (await client.get("/sleep/0.01")).status_code == 200
        await asyncio.sleep(0.2)  # the timer of the fast request fires with nothing in flight
        assert (await client.get("/slow")).status_code == 504


def test_timeouts_work_on_every_event_loop_that_serves_the_app() -> None:
    app = _app(timeout=0.1)

    async def overrun() -> int:
        async with AsyncTestClient(app=app) as client:
            fast = await client.get("/sleep/0.01")  # leaves a timer pending on this loop
            assert fast.status_code == 200
            return (await client.get("/slow")).status_code

    assert asyncio.run(overrun()) == 504
    assert asyncio.run(overrun()) == 504  # a new loop, after the first one closed


async def test_a_cancellation_from_outside_is_not_a_timeout() -> None:
    """The server cancelling a request (client gone) passes through: no 504 is sent for it."""
    app = _app(timeout=5.0)
    sent: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/slow",
        "raw_path": b"/slow",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"test")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    task = asyncio.ensure_future(app(scope, receive, send))  # type: ignore[arg-type]
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sent == []


async def test_router_404_and_405_carry_the_request_id() -> None:
    async with AsyncTestClient(app=_app()) as client:
        missing = await client.get("/nowhere", headers={"x-request-id": "r-404"})
        wrong_method = await client.delete("/plain", headers={"x-request-id": "r-405"})
    assert (missing.status_code, missing.headers["x-request-id"]) == (404, "r-404")
    assert (wrong_method.status_code, wrong_method.headers["x-request-id"]) == (405, "r-405")
    assert wrong_method.json()["requestId"] == "r-405"


async def test_response_carries_exactly_one_request_id_ours() -> None:
    async with AsyncTestClient(app=_app()) as client:
        response = await client.get("/own-request-id", headers={"x-request-id": "from-caller"})
    assert response.headers.get_list("x-request-id") == ["from-caller"]


async def test_request_without_an_id_gets_a_new_one_each_time() -> None:
    async with AsyncTestClient(app=_app()) as client:
        ids = [(await client.get("/health/live")).headers["x-request-id"] for _ in range(3)]
    assert len(set(ids)) == 3


def test_new_request_id_is_a_uuid4_hex() -> None:
    ids = [new_request_id() for _ in range(1000)]
    assert len(set(ids)) == len(ids)
    for request_id in ids:
        parsed = uuid.UUID(hex=request_id)
        assert parsed.hex == request_id
        assert (parsed.version, parsed.variant) == (4, uuid.RFC_4122)
