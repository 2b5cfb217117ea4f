"""Login throttling on the real Redis: atomic counters, the domain's policy, the in-process fallback."""

from __future__ import annotations

import asyncio
import time

import pytest
import redis.asyncio as redis

from kisum.adapters.cache.login_throttle import RedisLoginThrottle, throttle_settings_from
from kisum.adapters.cache.redis import RedisGate, create_redis_client
from kisum.config import Settings
from kisum.domain.auth.throttling import ThrottleSettings
from kisum.domain.errors import RateLimited
from tests.adapters.cache.conftest import PrivateRedis

pytestmark = pytest.mark.redis

POLICY = ThrottleSettings()  # 5 free, 30 s doubling to 15 min; ip 100 / account 50 per 15 min


async def retry_after(throttle: RedisLoginThrottle, account: str, ip: str) -> int | None:
    try:
        await throttle.check(account, ip)
    except RateLimited as limited:
        return limited.retry_after_seconds
    await throttle.release(account, ip)  # give the reservation back, count nothing
    return None


async def fail(throttle: RedisLoginThrottle, account: str, ip: str, times: int = 1) -> None:
    for _ in range(times):
        await throttle.record_failure(account, ip)


async def test_pair_backoff_doubles_and_is_capped(gate: RedisGate) -> None:
    throttle = RedisLoginThrottle(gate, POLICY)
    account, ip = "victim@example.com", "198.51.100.7"

    await fail(throttle, account, ip, 4)
    assert await retry_after(throttle, account, ip) is None  # 4 failures are free
    await fail(throttle, account, ip)
    assert await retry_after(throttle, account, ip) == 30
    await fail(throttle, account, ip)
    assert await retry_after(throttle, account, ip) == 60
    await fail(throttle, account, ip)
    assert await retry_after(throttle, account, ip) == 120
    await fail(throttle, account, ip, 20)
    assert await retry_after(throttle, account, ip) == 900  # never more than 15 min


async def test_refusal_is_rate_limited_with_retry_after(gate: RedisGate) -> None:
    throttle = RedisLoginThrottle(gate, POLICY)
    await fail(throttle, "someone@example.com", "198.51.100.30", 5)

    with pytest.raises(RateLimited) as refused:
        await throttle.check("someone@example.com", "198.51.100.30")

    assert refused.value.code == "RATE_LIMITED"
    assert refused.value.retry_after_seconds == 30


async def test_pair_is_per_account_and_ip(gate: RedisGate) -> None:
    throttle = RedisLoginThrottle(gate, POLICY)
    await fail(throttle, "victim@example.com", "198.51.100.7", 5)

    assert await retry_after(throttle, "victim@example.com", "198.51.100.7") == 30
    # The attacker's failures do not lock the victim out from the victim's own address.
    assert await retry_after(throttle, "victim@example.com", "203.0.113.1") is None
    assert await retry_after(throttle, "Victim@Example.com ", "198.51.100.7") == 30  # same account key


async def test_success_resets_the_pair_but_not_the_windows(gate: RedisGate, redis_prefix: str) -> None:
    throttle = RedisLoginThrottle(gate, POLICY)
    account, ip = "user@example.com", "198.51.100.8"
    await fail(throttle, account, ip, 4)

    await throttle.check(account, ip)
    await throttle.record_success(account, ip)
    await fail(throttle, account, ip, 4)

    assert await retry_after(throttle, account, ip) is None
    client = gate.client
    assert client is not None
    ip_keys = [key async for key in client.scan_iter(match=f"{redis_prefix}throttle:ip:*")]
    assert [int(await client.get(key) or 0) for key in ip_keys] == [8]


async def test_ip_window_blocks_after_100_failures_across_accounts(gate: RedisGate) -> None:
    throttle = RedisLoginThrottle(gate, POLICY)
    ip = "198.51.100.9"
    await asyncio.gather(*(throttle.record_failure(f"user{i}@example.com", ip) for i in range(99)))
    assert await retry_after(throttle, "fresh@example.com", ip) is None

    await throttle.record_failure("user99@example.com", ip)

    wait = await retry_after(throttle, "fresh@example.com", ip)
    assert wait is not None
    assert 890 <= wait <= 900
    assert await retry_after(throttle, "fresh@example.com", "203.0.113.50") is None


async def test_account_window_blocks_after_50_failures_from_all_ips(gate: RedisGate) -> None:
    throttle = RedisLoginThrottle(gate, POLICY)
    account = "target@example.com"
    await asyncio.gather(*(throttle.record_failure(account, f"203.0.113.{i}") for i in range(50)))

    wait = await retry_after(throttle, account, "198.51.100.200")
    assert wait is not None
    assert 890 <= wait <= 900
    assert await retry_after(throttle, "other@example.com", "198.51.100.200") is None


async def test_fifty_parallel_failures_count_exactly_fifty(gate: RedisGate, redis_prefix: str) -> None:
    throttle = RedisLoginThrottle(gate, POLICY)
    account, ip = "parallel@example.com", "198.51.100.10"

    await asyncio.gather(*(throttle.record_failure(account, ip) for _ in range(50)))

    client = gate.client
    assert client is not None
    counters = {}
    for kind in ("ip", "account", "pair"):
        (key,) = [k async for k in client.scan_iter(match=f"{redis_prefix}throttle:{kind}:*")]
        counters[kind] = int(await client.hget(key, "n") or 0) if kind == "pair" else int(await client.get(key) or 0)
    assert counters == {"ip": 50, "account": 50, "pair": 50}


async def test_fifty_parallel_attempts_get_only_the_free_five(gate: RedisGate) -> None:
    throttle = RedisLoginThrottle(gate, POLICY)
    account, ip = "burst@example.com", "198.51.100.11"

    async def attempt() -> bool:
        try:
            await throttle.check(account, ip)
        except RateLimited:
            return False
        await asyncio.sleep(0.01)  # the password check
        await throttle.record_failure(account, ip)
        return True

    admitted = await asyncio.gather(*(attempt() for _ in range(50)))

    assert sum(admitted) == 5
    assert await retry_after(throttle, account, ip) == 30


async def test_keys_do_not_contain_the_email(gate: RedisGate, redis_prefix: str) -> None:
    throttle = RedisLoginThrottle(gate, POLICY)
    await throttle.record_failure("secret.person@example.com", "198.51.100.12")
    client = gate.client
    assert client is not None
    keys = [key.decode() async for key in client.scan_iter(match=f"{redis_prefix}*")]
    assert keys
    assert not any("secret" in key or "198.51" in key for key in keys)


async def test_settings_feed_the_policy() -> None:
    policy = throttle_settings_from(Settings(login_pair_free_failures=3, login_ip_max_failures=10))
    assert (policy.pair_free_failures, policy.ip_max_failures, policy.account_max_failures) == (3, 10, 50)


async def test_without_redis_the_same_rules_run_in_process() -> None:
    throttle = RedisLoginThrottle(RedisGate(None, "kisum:auth:"), POLICY)
    account, ip = "local@example.com", "198.51.100.13"
    await fail(throttle, account, ip, 5)
    assert await retry_after(throttle, account, ip) == 30
    await throttle.record_success(account, ip)
    assert await retry_after(throttle, account, ip) is None

    async def attempt() -> bool:
        try:
            await throttle.check("burst@example.com", ip)
        except RateLimited:
            return False
        await asyncio.sleep(0.01)
        await throttle.record_failure("burst@example.com", ip)
        return True

    assert sum(await asyncio.gather(*(attempt() for _ in range(50)))) == 5


async def test_redis_dying_mid_test_falls_back_fast(private_redis: PrivateRedis) -> None:
    gate = RedisGate(create_redis_client(private_redis.url), "kisum:auth:", reprobe_seconds=30)
    throttle = RedisLoginThrottle(gate, POLICY)
    account, ip = "fallback@example.com", "198.51.100.14"
    await fail(throttle, account, ip, 2)
    direct = redis.from_url(private_redis.url)
    assert len([key async for key in direct.scan_iter(match="kisum:auth:throttle:*")]) == 3
    await direct.aclose()

    private_redis.stop()
    started = time.perf_counter()
    await fail(throttle, account, ip, 5)  # the first call finds Redis dead, the rest skip it
    for _ in range(200):
        await retry_after(throttle, "someone@example.com", "198.51.100.15")
    elapsed = time.perf_counter() - started

    assert await retry_after(throttle, account, ip) == 30  # five failures counted in-process
    assert gate.failures == 1  # Redis was tried once, then left alone until the re-probe time
    assert elapsed < 0.5
    await gate.aclose()
