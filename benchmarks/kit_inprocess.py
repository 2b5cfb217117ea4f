"""The enforcement kit's own cost, in process: CPU per request of protected routes over /health/live.

No server, no network, no database: the kit's test backend (``/api/things``) in front of the auth
double, called straight through ASGI with warm caches. Far less noisy than wrk on a shared
machine, so it is the tool for a before/after of a change on the kit's hot path (run it on both
commits, several times, and compare the minima).

    .venv/bin/python -m benchmarks.kit_inprocess [--requests 1500] [--rounds 8]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
import uuid
from collections.abc import MutableMapping
from typing import Any

from tests.adapters.enforcement.conftest import thing_backend
from tests.support.auth_double import AuthDouble

from kisum.config import Settings
from kisum.ioc.business import create_business_app

ROUTES = ("/health/live", "/api/things", "/api/things/container")


async def run(requests: int, rounds: int) -> dict[str, float]:
    double = AuthDouble()
    http = double.client()
    settings = Settings(internal_call_timeout_seconds=0.5, access_cache_seconds=1.0)
    app = create_business_app(thing_backend(), settings, auth_http=http)
    caller, company = double.caller(), uuid.uuid4()
    double.grant(caller, company, permissions=["basic.thing.view"])
    protected = [(name.encode(), value.encode()) for name, value in caller.headers(company).items()]

    async def call(path: str) -> int:
        status = 0
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": protected if path.startswith("/api") else [],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(scope, receive, send)  # type: ignore[arg-type]
        return status

    for path in ROUTES:
        if await call(path) != 200:
            raise SystemExit(f"{path} does not answer 200")
    best: dict[str, float] = {}
    for _ in range(rounds):
        for path in ROUTES:
            for _ in range(requests // 5):
                await call(path)
            started = time.process_time()
            for _ in range(requests):
                await call(path)
            cpu = (time.process_time() - started) / requests * 1e6
            best[path] = min(best.get(path, cpu), cpu)
    await http.aclose()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    best = asyncio.run(run(args.requests, args.rounds))
    bare = best["/health/live"]
    for path, cpu in best.items():
        print(f"{path:24s} {cpu:7.1f} us CPU per request (best of {args.rounds}), {cpu - bare:+6.1f} us over bare")


if __name__ == "__main__":
    main()
