"""Process-level behaviour of a role app: graceful drain, CORS from config, a late database."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
import uvicorn
from dishka import make_async_container
from litestar import get

from kisum.adapters.http.common.app import RoleAppSpec, create_role_app
from kisum.adapters.persistence.database import create_engine, wait_for_database
from kisum.config import Role, Settings
from tests.support.network import free_ports


@get("/slow")
async def slow() -> dict[str, str]:
    await asyncio.sleep(1.0)
    return {"done": "yes"}


def _app(settings: Settings) -> object:
    return create_role_app(RoleAppSpec(role=Role.CORE, route_handlers=[slow]), settings, make_async_container())


async def test_shutdown_finishes_the_request_in_flight() -> None:
    port = free_ports(1)[0]
    server = uvicorn.Server(
        uvicorn.Config(_app(Settings()), port=port, log_config=None, timeout_graceful_shutdown=5)  # type: ignore[arg-type]
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.02)
    async with httpx.AsyncClient() as client:
        in_flight = asyncio.create_task(client.get(f"http://127.0.0.1:{port}/slow"))
        await asyncio.sleep(0.3)
        server.should_exit = True
        response = await in_flight
    await serving
    assert response.status_code == 200
    assert response.json() == {"done": "yes"}


async def test_cors_allows_the_configured_origin_only() -> None:
    from litestar.testing import AsyncTestClient

    app = _app(Settings(cors_origins=("https://app.kisum.test",)))
    async with AsyncTestClient(app=app) as client:  # type: ignore[arg-type]
        allowed = await client.options(
            "/slow", headers={"Origin": "https://app.kisum.test", "Access-Control-Request-Method": "GET"}
        )
        other = await client.get("/health/live", headers={"Origin": "https://evil.test"})
    assert allowed.headers["access-control-allow-origin"] == "https://app.kisum.test"
    assert "access-control-allow-origin" not in other.headers


async def test_first_connection_is_retried_with_backoff_then_fails() -> None:
    port = free_ports(1)[0]  # nothing listens there
    engine = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/kisum", "core")
    started = time.perf_counter()
    try:
        with pytest.raises(OSError, match=r"refused|Connect call failed"):
            await wait_for_database(engine, attempts=3, first_delay=0.1)
    finally:
        await engine.dispose()
    assert time.perf_counter() - started >= 0.3  # waited 0.1 s, then 0.2 s, between the attempts


async def test_a_database_a_moment_late_is_waited_for(postgres_url: str) -> None:
    """PostgreSQL starts listening 0.5 s after we first try: the retries get through."""
    port = free_ports(1)[0]

    async def forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", 5432)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer), return_exceptions=True)

    async def listen_late() -> asyncio.Server:
        await asyncio.sleep(0.5)
        return await asyncio.start_server(forward, "127.0.0.1", port)

    late_server = asyncio.create_task(listen_late())
    database = postgres_url.rsplit("/", 1)[1]
    engine = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{database}", "core")
    started = time.perf_counter()
    try:
        await wait_for_database(engine, attempts=8, first_delay=0.1)
    finally:
        await engine.dispose()
        (await late_server).close()
    assert time.perf_counter() - started >= 0.5


async def test_start_up_freezes_what_it_made_and_spaces_out_full_collections() -> None:
    import gc

    from litestar.testing import AsyncTestClient

    from kisum.adapters.http.common.app import GC_THRESHOLDS

    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        async with AsyncTestClient(app=_app(Settings())):  # type: ignore[arg-type]
            assert gc.get_threshold() == GC_THRESHOLDS
            assert GC_THRESHOLDS[2] > 10  # full collections rarer than CPython's default
            assert gc.get_freeze_count() > 0
    finally:
        gc.set_threshold(*before)
