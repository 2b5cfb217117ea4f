"""Access and entitlements caches on the real Redis: keys, TTLs, invalidation, the fallback."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from kisum.adapters.cache.access_cache import RedisAccessCache, RedisEntitlementsCache
from kisum.adapters.cache.local import LocalTTLCache
from kisum.adapters.cache.redis import RedisGate, create_redis_client
from kisum.domain.auth.access import AccessModel, DelegationAccess, Entitlements
from kisum.domain.auth.identity import Role
from tests.adapters.cache.conftest import PrivateRedis

pytestmark = pytest.mark.redis


def access(
    company_id: UUID, membership_id: UUID | None = None, version: str = "3.1.0.7", **changes: object
) -> AccessModel:
    fields: dict[str, object] = {
        "user_id": uuid4(),
        "company_id": company_id,
        "membership_id": membership_id or uuid4(),
        "role": Role.MEMBER,
        "modules": ("basic", "finance"),
        "permissions": ("basic.artist.view", "finance.invoice.view"),
        "delegation": DelegationAccess(can_manage_members=True, modules=("basic",), permissions=("basic.artist.view",)),
        "entitlement_version": 3,
        "access_version": version,
        "valid_until": None,
    }
    fields.update(changes)
    return AccessModel(**fields)  # type: ignore[arg-type]


def entitlements(company_id: UUID, version: int, valid_until: datetime | None = None) -> Entitlements:
    return Entitlements(
        company_id=company_id,
        entitlement_version=version,
        enabled_modules=frozenset({"basic", "finance"}),
        valid_until=valid_until,
    )


async def test_access_round_trips_under_its_documented_key(gate: RedisGate, redis_prefix: str) -> None:
    cache = RedisAccessCache(gate)
    model = access(uuid4(), valid_until=datetime.now(UTC) + timedelta(hours=1))

    await cache.put(model, 60)

    assert await cache.get(model.company_id, model.membership_id, model.access_version) == model
    assert await cache.get(model.company_id, model.membership_id, "3.2.0.7") is None
    client = gate.client
    assert client is not None
    key = f"{redis_prefix}access:{model.company_id}:{model.membership_id}:{model.access_version}"
    assert 0 < await client.pttl(key) <= 60_000


async def test_ttl_never_passes_valid_until_and_non_positive_stores_nothing(gate: RedisGate, redis_prefix: str) -> None:
    cache = RedisAccessCache(gate)
    soon = access(uuid4(), valid_until=datetime.now(UTC) + timedelta(seconds=2))
    refused = access(uuid4())

    await cache.put(soon, 3600)
    await cache.put(refused, 0)
    await cache.put(refused, -5)

    client = gate.client
    assert client is not None
    assert (
        0
        < await client.pttl(f"{redis_prefix}access:{soon.company_id}:{soon.membership_id}:{soon.access_version}")
        <= 2000
    )
    assert await cache.get(refused.company_id, refused.membership_id, refused.access_version) is None


async def test_membership_invalidation_drops_only_that_membership(gate: RedisGate) -> None:
    cache = RedisAccessCache(gate)
    company = uuid4()
    first, second = access(company), access(company)
    await cache.put(first, 60)
    await cache.put(second, 60)

    await cache.invalidate_membership(company, first.membership_id)

    assert await cache.get(company, first.membership_id, first.access_version) is None
    assert await cache.get(company, second.membership_id, second.access_version) == second
    await cache.put(first, 60)  # a fresh answer after the change is cached again
    assert await cache.get(company, first.membership_id, first.access_version) == first


async def test_company_invalidation_drops_every_membership_of_that_company_only(gate: RedisGate) -> None:
    cache = RedisAccessCache(gate)
    company, other_company = uuid4(), uuid4()
    members = [access(company) for _ in range(3)]
    elsewhere = access(other_company)
    for model in [*members, elsewhere]:
        await cache.put(model, 60)

    await cache.invalidate_company(company)

    for model in members:
        assert await cache.get(company, model.membership_id, model.access_version) is None
    assert await cache.get(other_company, elsewhere.membership_id, elsewhere.access_version) == elsewhere


async def test_entitlements_round_trip_and_expire_at_valid_until(gate: RedisGate) -> None:
    cache = RedisEntitlementsCache(gate)
    company = uuid4()
    current = entitlements(company, 4, valid_until=datetime.now(UTC) + timedelta(hours=1))

    await cache.put(current, 60)

    assert await cache.get(company) == current
    assert await cache.get(uuid4()) is None


async def test_entitlements_invalidation_leaves_a_floor_against_racing_puts(gate: RedisGate) -> None:
    cache = RedisEntitlementsCache(gate)
    company = uuid4()
    await cache.put(entitlements(company, 4), 60)

    await cache.invalidate(company, min_version=5)
    assert await cache.get(company) is None
    await cache.put(entitlements(company, 4), 60)  # a fetch that started before the change
    assert await cache.get(company) is None
    await cache.put(entitlements(company, 5), 60)
    assert (await cache.get(company)) == entitlements(company, 5)

    await cache.invalidate(company, min_version=3)  # a late, older invalidation never lowers the floor
    await cache.put(entitlements(company, 4), 60)
    assert await cache.get(company) is None


async def test_redis_down_falls_back_in_process_and_costs_little(private_redis: PrivateRedis) -> None:
    gate = RedisGate(create_redis_client(private_redis.url), "kisum:auth:", reprobe_seconds=30)
    cache = RedisAccessCache(gate, local_max_ttl_seconds=5)
    ents = RedisEntitlementsCache(gate, local_max_ttl_seconds=5)
    company = uuid4()
    model = access(company)
    await cache.put(model, 60)
    assert await cache.get(company, model.membership_id, model.access_version) == model

    private_redis.stop()
    started = time.perf_counter()
    assert await cache.get(company, model.membership_id, model.access_version) == model  # the near copy
    await cache.invalidate_membership(company, model.membership_id)
    assert await cache.get(company, model.membership_id, model.access_version) is None  # Redis gone: a miss
    await cache.put(model, 60)
    await ents.put(entitlements(company, 2), 60)
    for _ in range(500):
        assert await cache.get(company, model.membership_id, model.access_version) == model
    assert await ents.get(company) == entitlements(company, 2)
    elapsed = time.perf_counter() - started

    await cache.invalidate_membership(company, model.membership_id)
    assert await cache.get(company, model.membership_id, model.access_version) is None
    await ents.invalidate(company, min_version=3)
    await ents.put(entitlements(company, 2), 60)
    assert await ents.get(company) is None
    assert gate.failures == 1
    assert elapsed < 0.5
    await gate.aclose()


async def test_near_copies_answer_first_and_live_at_most_the_local_ttl(gate: RedisGate) -> None:
    """Two auth processes on one Redis: what one wrote, the other reads once and then keeps near;
    an invalidation by the first (without a version change) reaches the second within the cap."""
    writer = RedisAccessCache(gate, local_max_ttl_seconds=0.2)
    reader = RedisAccessCache(gate, local_max_ttl_seconds=0.2)
    model = access(uuid4())
    key = (model.company_id, model.membership_id, model.access_version)
    await writer.put(model, 60)
    assert await reader.get(*key) == model
    await writer.invalidate_membership(model.company_id, model.membership_id)
    assert await writer.get(*key) is None  # its own invalidation drops its near copy at once
    assert await reader.get(*key) == model  # the near copy, within the cap
    await asyncio.sleep(0.25)
    assert await reader.get(*key) is None


async def test_fallback_entries_live_at_most_the_local_ttl() -> None:
    cache = RedisAccessCache(RedisGate(None, "kisum:auth:"), local_max_ttl_seconds=0.05)
    model = access(uuid4())
    await cache.put(model, 3600)
    assert await cache.get(model.company_id, model.membership_id, model.access_version) == model
    await asyncio.sleep(0.06)
    assert await cache.get(model.company_id, model.membership_id, model.access_version) is None


async def test_invalidation_missed_during_an_outage_is_covered_when_redis_returns(
    private_redis: PrivateRedis,
) -> None:
    gate = RedisGate(create_redis_client(private_redis.url, timeout_seconds=0.1), "kisum:auth:", reprobe_seconds=0.2)
    cache = RedisAccessCache(gate)
    company = uuid4()
    model = access(company)
    await cache.put(model, 60)

    private_redis.pause(600)  # Redis hangs: the invalidation times out and never reaches it
    started = time.perf_counter()
    await cache.invalidate_membership(company, model.membership_id)
    assert time.perf_counter() - started < 0.5
    await asyncio.sleep(0.8)  # Redis is back, with the stale entry still in it

    assert await cache.get(company, model.membership_id, model.access_version) is None  # epoch bumped
    await cache.put(model, 60)
    assert await cache.get(company, model.membership_id, model.access_version) == model
    await gate.aclose()


async def test_an_outage_without_a_missed_invalidation_keeps_every_entry(private_redis: PrivateRedis) -> None:
    """Slow reads trip the gate (as they do on an overloaded host); that alone drops nothing."""
    gate = RedisGate(create_redis_client(private_redis.url, timeout_seconds=0.1), "kisum:auth:", reprobe_seconds=0.2)
    cache = RedisAccessCache(gate, local_max_ttl_seconds=0.05)
    ents = RedisEntitlementsCache(gate)
    model = access(uuid4())
    await cache.put(model, 60)
    await ents.put(entitlements(model.company_id, 2), 60)

    private_redis.pause(400)
    await asyncio.sleep(0.06)  # past the near copy
    assert await cache.get(model.company_id, model.membership_id, model.access_version) is None  # gate trips
    await asyncio.sleep(0.8)  # Redis is back

    assert await cache.get(model.company_id, model.membership_id, model.access_version) == model
    assert await ents.get(model.company_id) == entitlements(model.company_id, 2)
    assert gate.failures == 1
    await gate.aclose()


def test_local_cache_is_bounded_lru_with_ttl() -> None:
    now = [0.0]
    local: LocalTTLCache[int, str] = LocalTTLCache(3, monotonic=lambda: now[0])
    for i in range(3):
        local.set(i, f"v{i}", 10)
    assert local.get(0) == "v0"  # 0 is now the most recently used
    local.set(3, "v3", 10)
    assert len(local) == 3
    assert local.get(1) is None  # the least recently used went
    now[0] = 10.0
    assert local.get(0) is None  # expired
