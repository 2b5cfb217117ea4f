"""Auth on PostgreSQL + Redis: /auth/me/access on a cache hit next to /health/live of the same
process (closed loop with wrk, then an open loop at fractions of that throughput, and one at 50 %
long enough to span two expiries of the cached model), then logins/s and refreshes/s per core
(requests per CPU-second of the auth process), each next to what one argon2id hash and one
signature cost alone on this machine, measured in the same run.

    .venv/bin/python -m benchmarks.auth_bench [--seconds 10]      (needs wrk)
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import UTC, datetime

import httpx
from argon2 import PasswordHasher, Type
from cryptography.hazmat.primitives.asymmetric import rsa

from benchmarks.harness import (
    OWNER_PASSWORD,
    Platform,
    cpu_seconds,
    expect,
    print_header,
    seed_tenant,
    wrk_with_cpu,
)
from benchmarks.openloop import open_loop
from kisum.adapters.security.access_tokens import AccessTokenSigner, SigningKey
from kisum.application.auth.settings import AuthSettings
from kisum.config import Settings, load_settings

OPEN_LOOP_FRACTIONS = (0.25, 0.5, 0.75)


def hashes_per_core(settings: Settings, count: int = 30) -> float:
    """argon2id hashes per CPU-second with the app's parameters, in this process."""
    hasher = PasswordHasher(
        time_cost=settings.password_hash_time_cost,
        memory_cost=settings.password_hash_memory_kib,
        parallelism=settings.password_hash_parallelism,
        type=Type.ID,
    )
    started = time.process_time()
    for _ in range(count):
        hasher.hash(OWNER_PASSWORD)
    return count / (time.process_time() - started)


def signatures_per_core(settings: Settings, count: int = 300) -> float:
    """Access tokens signed per CPU-second with the app's signer, algorithm and key size."""
    key = SigningKey(kid="bench", private_key=rsa.generate_private_key(65537, settings.signing_key_bits))
    signer = AccessTokenSigner(key, algorithm=settings.jwt_algorithm, issuer="bench", audience="bench", ttl_seconds=900)
    user, session, now = uuid.uuid4(), uuid.uuid4(), datetime.now(UTC)
    started = time.process_time()
    for _ in range(count):
        signer.sign(user_id=user, session_id=session, token_version=1, now=now)
    return count / (time.process_time() - started)


async def _rate(platform: Platform, seconds: float, workers: list, name: str) -> float:
    pids = platform.pids("auth")
    cpu_before, started = cpu_seconds(pids), time.perf_counter()
    deadline = started + seconds
    counts = await asyncio.gather(*(worker(deadline) for worker in workers))
    elapsed, cpu = time.perf_counter() - started, cpu_seconds(pids) - cpu_before
    done = sum(counts)
    print(f"{name:<38} {done / elapsed:>9.1f} /s wall   {done / cpu:>9.1f} /s per core (auth CPU {cpu:.1f} s)")
    return done / cpu


async def main(seconds: int) -> None:
    async with Platform(["core", "auth", "admin"]) as platform:
        tenant, members = await seed_tenant(platform, members=16)
        auth = platform.url("auth")
        headers = {"Authorization": f"Bearer {tenant.owner_token}", "x-org": tenant.company_id}
        async with httpx.AsyncClient() as client:
            await expect(await client.get(f"{auth}/auth/me/access", headers=headers), 200)  # warm the cache

        pids = platform.pids("auth")
        print_header("auth: /auth/me/access (cache hit) vs /health/live, 64 connections, closed loop (wrk)")
        bare, bare_cpu = wrk_with_cpu(pids, f"{auth}/health/live", seconds=seconds)
        access, access_cpu = wrk_with_cpu(pids, f"{auth}/auth/me/access", headers, seconds=seconds)
        print(f"{bare.line('GET /health/live')}   auth CPU {bare_cpu:5.0f} us/request")
        print(f"{access.line('GET /auth/me/access (hit)')}   auth CPU {access_cpu:5.0f} us/request")
        print(f"ratio access/bare throughput: {access.requests_per_second / bare.requests_per_second:.2f}")

        # wrk is a closed loop: at 64 connections the latency is the queue in front of a saturated
        # server (about 64 / throughput, Little's law). The open loop offers a fixed rate on 64
        # connections whatever the answers take, so its percentiles are the server's below saturation.
        print_header("auth: /auth/me/access (cache hit), 64 connections, open loop at a fixed offered rate")
        for fraction in OPEN_LOOP_FRACTIONS:
            rate = fraction * access.requests_per_second
            result = await asyncio.to_thread(open_loop, f"{auth}/auth/me/access", headers, rate=rate, seconds=seconds)
            print(result.line(f"{fraction:.0%} of closed loop ({rate:.0f}/s offered)"))
        # The cached model expires every access_cache_ttl_seconds. A run that spans two expiries
        # shows what rebuilding it under load costs the requests around that moment.
        span = 2 * AuthSettings().access_cache_ttl_seconds + 5
        rate = 0.5 * access.requests_per_second
        result = await asyncio.to_thread(open_loop, f"{auth}/auth/me/access", headers, rate=rate, seconds=span)
        print(result.line(f"50% for {span} s (2 cache expiries)"))

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

            logins = await _rate(
                platform, seconds, [login_worker(email) for email in members], "POST /auth/login (16 accounts)"
            )

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

            refreshes = await _rate(
                platform, seconds, [refresh_worker(t) for t in sessions], "POST /auth/refresh (16 sessions)"
            )

        settings = load_settings(platform.env)
        hashes, signatures = hashes_per_core(settings), signatures_per_core(settings)
        print(f"{'argon2id hash alone (same parameters)':<38} {hashes:>9.1f} /s per core")
        print(
            f"{'signature alone (' + settings.jwt_algorithm + f', RSA-{settings.signing_key_bits})':<38} "
            f"{signatures:>9.1f} /s per core"
        )
        print(f"logins per core / hashes per core:       {logins / hashes:.2f}")
        print(f"refreshes per core / signatures per core: {refreshes / signatures:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    asyncio.run(main(parser.parse_args().seconds))
