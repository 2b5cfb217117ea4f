"""Auth on PostgreSQL + Redis: /auth/me/access on a cache hit next to /health/live of the same
process, then logins/s and refreshes/s per core (requests per CPU-second of the auth process).

    .venv/bin/python benchmarks/auth_bench.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx

from benchmarks.harness import OWNER_PASSWORD, Platform, cpu_seconds, expect, print_header, seed_tenant, wrk


async def _rate(platform: Platform, seconds: float, workers: list, name: str) -> None:
    pids = platform.pids("auth")
    cpu_before, started = cpu_seconds(pids), time.perf_counter()
    deadline = started + seconds
    counts = await asyncio.gather(*(worker(deadline) for worker in workers))
    elapsed, cpu = time.perf_counter() - started, cpu_seconds(pids) - cpu_before
    done = sum(counts)
    print(f"{name:<38} {done / elapsed:>9.1f} /s wall   {done / cpu:>9.1f} /s per core (auth CPU {cpu:.1f} s)")


async def main(seconds: int) -> None:
    async with Platform(["core", "auth", "admin"]) as platform:
        tenant, members = await seed_tenant(platform, members=16)
        auth = platform.url("auth")
        headers = {"Authorization": f"Bearer {tenant.owner_token}", "x-org": tenant.company_id}
        async with httpx.AsyncClient() as client:
            await expect(await client.get(f"{auth}/auth/me/access", headers=headers), 200)  # warm the cache

        print_header("auth: /auth/me/access (cache hit) vs /health/live, 64 connections")
        bare = wrk(f"{auth}/health/live", seconds=seconds)
        access = wrk(f"{auth}/auth/me/access", headers, seconds=seconds)
        print(bare.line("GET /health/live"))
        print(access.line("GET /auth/me/access (hit)"))
        print(f"ratio access/bare throughput: {access.requests_per_second / bare.requests_per_second:.2f}")

        # wrk is a closed loop: at 64 connections latency is about 64 / throughput (Little's law),
        # so the per-request latency is read at a concurrency the server is not queueing behind.
        print_header("auth: /auth/me/access (cache hit) vs /health/live, 8 connections")
        bare8 = wrk(f"{auth}/health/live", connections=8, seconds=seconds)
        access8 = wrk(f"{auth}/auth/me/access", headers, connections=8, seconds=seconds)
        print(bare8.line("GET /health/live"))
        print(access8.line("GET /auth/me/access (hit)"))
        print(f"ratio access/bare throughput: {access8.requests_per_second / bare8.requests_per_second:.2f}")

        print_header("auth: logins and refreshes")
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=64)) as client:

            def login_worker(email: str):  # one in-flight login per account, as real users do
                async def run(deadline: float) -> int:
                    done = 0
                    while time.perf_counter() < deadline:
                        response = await client.post(
                            f"{auth}/auth/login", json={"email": email, "password": OWNER_PASSWORD}
                        )
                        await expect(response, 200)
                        done += 1
                    return done

                return run

            await _rate(platform, seconds, [login_worker(email) for email in members], "POST /auth/login (16 accounts)")

            sessions = []
            for email in members:
                response = await client.post(f"{auth}/auth/login", json={"email": email, "password": OWNER_PASSWORD})
                sessions.append((await expect(response, 200))["refreshToken"])

            def refresh_worker(token: str):  # each refresh rotates the token, so a session refreshes in turn
                async def run(deadline: float) -> int:
                    nonlocal token
                    done = 0
                    while time.perf_counter() < deadline:
                        body = await expect(
                            await client.post(f"{auth}/auth/refresh", json={"refreshToken": token}), 200
                        )
                        token = body["refreshToken"]
                        done += 1
                    return done

                return run

            await _rate(platform, seconds, [refresh_worker(t) for t in sessions], "POST /auth/refresh (16 sessions)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    asyncio.run(main(parser.parse_args().seconds))
