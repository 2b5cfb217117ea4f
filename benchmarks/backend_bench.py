"""A business backend (basic) on PostgreSQL + Redis with real auth and core behind it.

Throughput and latency of a protected route without a query (JWT + x-org + access + permission),
and of a protected list route (plus one small query), each next to /health/live of the same
process; then resident memory of the backend before and after 100,000 distinct valid tokens.

    .venv/bin/python benchmarks/backend_bench.py [--seconds 10] [--tokens 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime

import httpx
import jwt

from benchmarks.harness import Platform, expect, print_header, rss_mib, seed_tenant, wrk_with_cpu
from kisum.adapters.persistence.database import create_engine, create_session_factory
from kisum.adapters.security.signing_keys import KeyRing
from kisum.config import Role, load_settings


def _sign_batch(args: tuple[bytes, str, str, dict[str, object], int]) -> list[str]:
    pem, kid, algorithm, claims, count = args
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(pem, password=None)
    now = int(time.time())
    return [
        jwt.encode(
            {**claims, "iat": now, "exp": now + 900, "jti": uuid.uuid4().hex},
            key,  # type: ignore[arg-type]
            algorithm=algorithm,
            headers={"kid": kid, "typ": "at+jwt"},
        )
        for _ in range(count)
    ]


async def distinct_tokens(platform: Platform, owner_token: str, count: int) -> list[str]:
    """``count`` valid tokens for the owner's live session, each a different string (own ``jti``)."""
    settings = load_settings(platform.env)
    engine = create_engine(settings.database_url_of(Role.AUTH), "auth")
    ring = KeyRing.from_settings(settings, create_session_factory(engine))
    await ring.reload(datetime.now(UTC))
    signing = ring.signing_key(datetime.now(UTC))
    await engine.dispose()
    claims = jwt.decode(owner_token, options={"verify_signature": False})
    base = {k: claims[k] for k in ("iss", "aud", "sub", "sid", "tv")}
    from cryptography.hazmat.primitives import serialization

    pem = signing.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    batches = [(pem, signing.kid, settings.jwt_algorithm, base, count // 8)] * 8
    with ProcessPoolExecutor(max_workers=2) as pool:
        return [token for batch in pool.map(_sign_batch, batches) for token in batch]


async def send_each_once(url: str, tokens: list[str], company_id: str) -> int:
    ok = 0
    queue = iter(tokens)
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=32), timeout=30) as client:

        async def worker() -> None:
            nonlocal ok
            for token in queue:
                response = await client.get(url, headers={"Authorization": f"Bearer {token}", "x-org": company_id})
                ok += response.status_code == 200

        await asyncio.gather(*(worker() for _ in range(32)))
    return ok


async def main(seconds: int, token_count: int) -> None:
    async with Platform(["core", "auth", "admin", "basic"]) as platform:
        tenant, _ = await seed_tenant(platform)
        basic = platform.url("basic")
        headers = {"Authorization": f"Bearer {tenant.owner_token}", "x-org": tenant.company_id}
        async with httpx.AsyncClient() as client:
            for index in range(20):
                await expect(
                    await client.post(f"{basic}/api/artists", json={"name": f"Artist {index}"}, headers=headers), 201
                )
            await expect(await client.get(f"{basic}/api/dashboard/me", headers=headers), 200)

        print_header("basic: protected routes vs /health/live of the same process, 64 connections")
        pids = platform.pids("basic")
        bare, bare_cpu = wrk_with_cpu(pids, f"{basic}/health/live", seconds=seconds)
        protected, protected_cpu = wrk_with_cpu(pids, f"{basic}/api/dashboard/me", headers, seconds=seconds)
        listing, listing_cpu = wrk_with_cpu(pids, f"{basic}/api/artists?limit=20", headers, seconds=seconds)
        print(f"{bare.line('GET /health/live')}   basic CPU {bare_cpu:5.0f} us/request")
        print(f"{protected.line('GET /api/dashboard/me (no query)')}   basic CPU {protected_cpu:5.0f} us/request")
        print(f"{listing.line('GET /api/artists?limit=20 (one query)')}   basic CPU {listing_cpu:5.0f} us/request")
        print(f"ratio protected/bare: {protected.requests_per_second / bare.requests_per_second:.2f}")
        print(f"ratio list/bare:      {listing.requests_per_second / bare.requests_per_second:.2f}")

        print_header(f"basic: resident memory with {token_count:,} distinct tokens")
        tokens = await distinct_tokens(platform, tenant.owner_token, token_count)
        idle = rss_mib(platform.pids("basic"))
        started = time.perf_counter()
        ok = await send_each_once(f"{basic}/api/dashboard/me", tokens, tenant.company_id)
        elapsed = time.perf_counter() - started
        after = rss_mib(platform.pids("basic"))
        print(f"tokens sent {len(tokens):,} ({ok:,} answered 200) in {elapsed:.0f} s")
        print(f"RSS before {idle:.1f} MiB, after {after:.1f} MiB, growth {after - idle:.1f} MiB (target < 100 MiB)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--tokens", type=int, default=100_000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.seconds, arguments.tokens))
