"""The Base backend's own cost, in process, on the real PostgreSQL: CPU per request of a protected
route, a 20-row list, an event's settlement (20 ticket tiers, 200 expenses, 50 income lines) and a
page of 20 offers with its total out of 10 000 offers of the company, over /health/live of the
same app.

No server and no load generator: the basic app in front of the auth double (warm caches), called
straight through ASGI; the list reads a throwaway database on the local PostgreSQL. Far less noisy
than wrk on a shared machine; ratios are /health/live's CPU over the route's (1.0 = as cheap as
the bare route), i.e. the throughput ratio a CPU-bound server would show.

    .venv/bin/python -m benchmarks.basic_inprocess [--requests 1000] [--rounds 5] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging
import os
import pstats
import tempfile
import time
import uuid
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import asyncpg
from tests.support.auth_double import AuthDouble

from kisum.adapters.persistence.database import create_engine
from kisum.adapters.persistence.migrations import upgrade_engine
from kisum.config import Settings
from kisum.ioc.basic import create_app

ROUTES = ["/health/live", "/api/dashboard/me", "/api/artists?limit=20"]
PERMISSIONS = [
    *("basic.artist.create", "basic.artist.view", "basic.dashboard.view", "basic.event.create"),
    *("basic.ticket.create", "basic.income.create", "basic.expense.create", "basic.settlement.view"),
    "basic.offer.view",
]
OFFERS = 10_000
SERVER = "postgresql://postgres@127.0.0.1:5432"


async def run(requests: int, rounds: int, profile: bool) -> dict[str, float]:
    database = f"kisum_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(f"{SERVER}/postgres")
    await admin.execute(f'CREATE DATABASE "{database}"')
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}"
    try:
        engine = create_engine(url, "basic")
        await upgrade_engine(engine, "basic")
        await engine.dispose()
        return await _measure(url, requests, rounds, profile)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()


async def _measure(url: str, requests: int, rounds: int, profile: bool) -> dict[str, float]:
    double = AuthDouble()
    http = double.client()
    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(Settings(database_url=url, data_dir=Path(data_dir)), auth_http=http)
        caller, company = double.caller(), uuid.uuid4()
        double.grant(caller, company, permissions=PERMISSIONS)
        headers = [(name.encode(), value.encode()) for name, value in caller.headers(company).items()]

        async def call(method: str, target: str, body: bytes = b"", sink: list[str] | None = None) -> int:
            path, _, query = target.partition("?")
            status = 0
            scope: dict[str, Any] = {
                "type": "http",
                "asgi": {"version": "3.0"},
                "http_version": "1.1",
                "method": method,
                "scheme": "http",
                "path": path,
                "raw_path": path.encode(),
                "query_string": query.encode(),
                "root_path": "",
                "headers": [*headers, (b"content-type", b"application/json")] if path.startswith("/api") else [],
                "client": ("127.0.0.1", 1),
                "server": ("127.0.0.1", 80),
                "state": {},
            }

            async def receive() -> dict[str, Any]:
                return {"type": "http.request", "body": body, "more_body": False}

            async def send(message: MutableMapping[str, Any]) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                elif sink is not None and message["type"] == "http.response.body" and message.get("body"):
                    sink.append(json.loads(message["body"])["id"])

            await app(scope, receive, send)  # type: ignore[arg-type]
            return status

        async with _Lifespan(app):
            for index in range(20):
                created = await call("POST", "/api/artists", f'{{"name": "Artist {index}"}}'.encode())
                if created != 201:
                    raise SystemExit(f"could not create the artists: {created}")
            routes = [*ROUTES, *await _seed_settlement_and_offers(call, url, company)]
            for route in routes:
                if await call("GET", route) != 200:
                    raise SystemExit(f"{route} does not answer 200")
            best: dict[str, float] = {}
            profiler = cProfile.Profile() if profile else None
            for _ in range(rounds):
                for route in routes:
                    for _ in range(requests // 5):
                        await call("GET", route)
                    if profiler is not None and route.endswith(os.environ.get("PROFILE_ROUTE", ROUTES[-1])):
                        profiler.enable()
                    started, wall = time.process_time(), time.perf_counter()
                    for _ in range(requests):
                        await call("GET", route)
                    cpu = (time.process_time() - started) / requests * 1e6
                    if os.environ.get("SHOW_WALL"):
                        print(route, f"wall {(time.perf_counter() - wall) / requests * 1e6:.0f} us, cpu {cpu:.0f} us")
                    if profiler is not None:
                        profiler.disable()
                    best[route] = min(best.get(route, cpu), cpu)
            if profiler is not None:
                pstats.Stats(profiler).sort_stats(
                    "cumulative" if __import__("os").environ.get("SORT") != "tottime" else "tottime"
                ).print_stats(40)
    await http.aclose()
    return best


async def _seed_settlement_and_offers(call: Any, url: str, company: uuid.UUID) -> list[str]:
    """An event with 20 tiers, 200 expenses and 50 income lines (through the API), and 10 000 offers
    of the company (inserted in one statement: the API would take minutes)."""

    async def created(path: str, body: str) -> None:
        status = await call("POST", path, body.encode())
        if status != 201:
            raise SystemExit(f"POST {path} answered {status}")

    event = await _post_id(call, "/api/events", '{"name": "Big night", "currency": "EUR"}')
    artist = await _post_id(call, "/api/artists", '{"name": "Headliner"}')
    base = f"/api/events/{event}"
    for tier in range(20):
        await created(
            f"{base}/tickets", f'{{"name": "Tier {tier}", "price": {1000 + tier}, "capacity": 500, "sold": 400}}'
        )
    for line in range(200):
        await created(f"{base}/expenses", f'{{"category": "cost {line}", "estimatedAmount": {5000 + line}}}')
    for line in range(50):
        await created(f"{base}/income", f'{{"category": "bar {line}", "amount": {2000 + line}}}')
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.execute(
            """
            INSERT INTO basic.offers (id, company_id, created_at, updated_at, event_id, artist_id, deal_type,
                                      guarantee, currency, status, version)
            SELECT gen_random_uuid(), $1, now() - make_interval(secs => n), now(), $2, $3, 'flat', 100000 + n,
                   'EUR', 'draft', 0
            FROM generate_series(1, $4) AS n
            """,
            company,
            uuid.UUID(event),
            uuid.UUID(artist),
            OFFERS,
        )
    finally:
        await connection.close()
    return [f"{base}/settlement", "/api/offers?limit=20"]


async def _post_id(call: Any, path: str, body: str) -> str:
    captured: list[str] = []
    status = await call("POST", path, body.encode(), captured)
    if status != 201:
        raise SystemExit(f"POST {path} answered {status}")
    return captured[0]


class _Lifespan:
    """Runs the app's start-up and shut-down around the measurement, as a server would."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> None:
        started: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        async def receive() -> dict[str, Any]:
            return await self.queue.get()

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "lifespan.startup.complete" and not started.done():
                started.set_result(None)

        self.task = asyncio.create_task(self.app({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send))
        await self.queue.put({"type": "lifespan.startup"})
        await started

    async def __aexit__(self, *exc: object) -> None:
        await self.queue.put({"type": "lifespan.shutdown"})
        if self.task is not None:
            await asyncio.wait_for(self.task, 10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print where the list's time goes")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    best = asyncio.run(run(args.requests, args.rounds, args.profile))
    bare = best["/health/live"]
    for route, cpu in best.items():
        name = "/api/events/{id}/settlement" if route.endswith("/settlement") else route
        print(f"{name:30s} {cpu:7.1f} us CPU per request (best of {args.rounds}), ratio {bare / cpu:4.2f}")


if __name__ == "__main__":
    main()
