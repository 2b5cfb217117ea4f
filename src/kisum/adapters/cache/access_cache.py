"""Auth's caches of effective access and of company entitlements: Redis, else in-process.

Keys (under the auth prefix, e.g. ``kisum:auth:``):

- ``access:{company}:{membership}:{accessVersion}`` → ``[epoch, companyGen, membershipGen, model]``
- ``access-gen:{company}`` and ``access-gen:{company}:{membership}``: invalidation generations.
  Invalidating is one ``INCR`` (no ``SCAN``, no key sets that grow): an entry is a hit only if
  the generations it was written under are still the current ones, read with the entry in the
  same ``MGET``. Generation keys live ``max_ttl_seconds`` after their last bump, and no entry
  lives longer than that, so a generation key can never expire under an entry it invalidated.
- ``entitlements:{company}`` → ``[epoch, entitlements]`` and ``entitlements-floor:{company}``:
  the ``min_version`` left by ``invalidate``; a ``put`` below the floor is ignored (atomically,
  in the same script), so a fetch that raced with a change cannot put the old version back.
- ``cache-epoch``: bumped by ``RedisGate`` when a process reconnects after an outage in which it
  may have dropped invalidations; every entry written under an older epoch is a miss.

TTL: given by the caller (the application keeps it within ``validUntil``); a non-positive TTL
stores nothing, and the adapter also clamps to ``validUntil`` and to ``max_ttl_seconds``.
Caches never raise: Redis down means the in-process fallback, whose TTLs are capped at
``local_max_ttl_seconds`` (1 s by default) because other processes cannot see its invalidations.
Invalidations are always applied to both.

Access models are also kept in process while Redis is up (a near cache, same 1 s cap), and
looked up there first: the key carries the full ``accessVersion``, and every change that
alters an access model (grants, membership, token version, catalog, entitlements) changes that
version, so a near entry can only ever be the value Redis holds under the same key. The cap
bounds what a change that forgot to bump a version could cost. This takes Redis off the
``/auth/me/access`` hit path.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Final
from uuid import UUID

import msgspec

from kisum.adapters.cache.local import LocalTTLCache
from kisum.adapters.cache.redis import EPOCH_KEY, RedisGate, RedisUnavailable
from kisum.config import Settings
from kisum.domain.auth.access import AccessModel, Entitlements

logger = logging.getLogger("kisum.auth.cache")

DEFAULT_MAX_TTL_SECONDS: Final = 3600
DEFAULT_LOCAL_MAX_TTL_SECONDS: Final = 1.0
DEFAULT_FLOOR_TTL_SECONDS: Final = 3600
MAX_ACCESS_VERSION_CHARS: Final = 200

# KEYS: entry, epoch, company gen, membership gen. ARGV: payload, ttl ms.
_PUT_ACCESS = """
local epoch = redis.call('GET', KEYS[2]) or '0'
local company = redis.call('GET', KEYS[3]) or '0'
local membership = redis.call('GET', KEYS[4]) or '0'
redis.call('SET', KEYS[1], '[' .. epoch .. ',' .. company .. ',' .. membership .. ',' .. ARGV[1] .. ']', 'PX', ARGV[2])
return 1
"""

# KEYS: generation key. ARGV: ttl ms (at least the longest entry ttl).
_BUMP = """
local value = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return value
"""

# KEYS: entry, floor, epoch. ARGV: version, payload, ttl ms.
_PUT_ENTITLEMENTS = """
local floor = tonumber(redis.call('GET', KEYS[2]) or '-1')
if tonumber(ARGV[1]) < floor then return 0 end
local epoch = redis.call('GET', KEYS[3]) or '0'
redis.call('SET', KEYS[1], '[' .. epoch .. ',' .. ARGV[2] .. ']', 'PX', ARGV[3])
return 1
"""

# KEYS: entry, floor. ARGV: min version, floor ttl ms.
_INVALIDATE_ENTITLEMENTS = """
redis.call('DEL', KEYS[1])
local floor = tonumber(redis.call('GET', KEYS[2]) or '-1')
local wanted = tonumber(ARGV[1])
if wanted > floor then floor = wanted end
redis.call('SET', KEYS[2], floor, 'PX', ARGV[2])
return floor
"""

_encoder = msgspec.json.Encoder()
_access_entry = msgspec.json.Decoder(tuple[int, int, int, AccessModel])
_entitlements_entry = msgspec.json.Decoder(tuple[int, Entitlements])


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _int(value: Any) -> int:
    try:
        return int(value) if value is not None else 0
    except (TypeError, ValueError):
        return -1  # unreadable: matches no entry


def _clamp_ttl(ttl_seconds: float, valid_until: datetime | None, now: datetime, max_ttl_seconds: float) -> float:
    ttl = min(float(ttl_seconds), max_ttl_seconds)
    if valid_until is not None:
        ttl = min(ttl, (valid_until - now).total_seconds())
    return ttl


class _Base:
    def __init__(
        self,
        gate: RedisGate,
        *,
        max_ttl_seconds: float = DEFAULT_MAX_TTL_SECONDS,
        local_max_entries: int = 10_000,
        local_max_ttl_seconds: float = DEFAULT_LOCAL_MAX_TTL_SECONDS,
        clock: Callable[[], datetime] = _utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_ttl_seconds <= 0 or local_max_ttl_seconds <= 0:
            raise ValueError("cache TTL bounds must be positive")
        self.gate = gate
        self._max_ttl = max_ttl_seconds
        self._local_max_ttl = local_max_ttl_seconds
        self._local_max_entries = local_max_entries
        self._clock = clock
        self._monotonic = monotonic

    async def _redis(self, operation: Callable[[Any], Any], *, invalidation: bool = False) -> Any:
        """Run on Redis; ``RedisUnavailable`` for every failure mode (the gate opens on I/O errors)."""
        try:
            return await self.gate.run(operation, invalidation=invalidation)
        except RedisUnavailable:
            raise
        except Exception as error:  # a bug must not turn a cache into a 500: log it, use the fallback
            logger.exception("unexpected cache error")
            raise RedisUnavailable(repr(error)) from error


class RedisAccessCache(_Base):
    """Implements ``kisum.application.auth.ports.AccessCache``."""

    def __init__(self, gate: RedisGate, **options: Any) -> None:
        super().__init__(gate, **options)
        self._local: LocalTTLCache[tuple[UUID, UUID, str], AccessModel] = LocalTTLCache(
            self._local_max_entries, monotonic=self._monotonic
        )
        self._put_script: Any = gate.client.register_script(_PUT_ACCESS) if gate.client is not None else None
        self._bump_script: Any = gate.client.register_script(_BUMP) if gate.client is not None else None

    @classmethod
    def from_settings(cls, gate: RedisGate, settings: Settings) -> RedisAccessCache:
        return cls(gate, local_max_entries=settings.local_cache_max_entries)

    def _keys(self, company_id: UUID, membership_id: UUID, access_version: str) -> list[str]:
        return [
            self.gate.key("access", company_id, membership_id, access_version),
            self.gate.key(EPOCH_KEY),
            self.gate.key("access-gen", company_id),
            self.gate.key("access-gen", company_id, membership_id),
        ]

    async def get(self, company_id: UUID, membership_id: UUID, access_version: str) -> AccessModel | None:
        if len(access_version) > MAX_ACCESS_VERSION_CHARS:
            return None
        now = self._clock()
        near = self._local.get((company_id, membership_id, access_version))
        if near is not None and (near.valid_until is None or now < near.valid_until):
            return near
        keys = self._keys(company_id, membership_id, access_version)
        try:
            raw, epoch, company_gen, membership_gen = await self._redis(lambda client: client.mget(keys))
        except RedisUnavailable:
            return None
        if raw is None:
            return None
        try:
            entry_epoch, entry_company, entry_membership, model = _access_entry.decode(raw)
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError):
            return None  # written by another version of the code: a miss, overwritten on put
        if (entry_epoch, entry_company, entry_membership) != (_int(epoch), _int(company_gen), _int(membership_gen)):
            return None
        if (model.company_id, model.membership_id, model.access_version) != (
            company_id,
            membership_id,
            access_version,
        ):
            return None
        if model.valid_until is not None and model.valid_until <= now:
            return None
        self._keep_near(model, self._local_max_ttl, now)
        return model

    def _keep_near(self, access: AccessModel, ttl_seconds: float, now: datetime) -> None:
        """Keep a copy in process for at most ``local_max_ttl_seconds`` (and never past validUntil)."""
        ttl = _clamp_ttl(ttl_seconds, access.valid_until, now, self._local_max_ttl)
        self._local.set((access.company_id, access.membership_id, access.access_version), access, ttl)

    async def put(self, access: AccessModel, ttl_seconds: int) -> None:
        if len(access.access_version) > MAX_ACCESS_VERSION_CHARS:
            return
        ttl = _clamp_ttl(ttl_seconds, access.valid_until, self._clock(), self._max_ttl)
        if ttl <= 0:
            logger.debug("not caching access with a non-positive ttl", extra={"ttlSeconds": ttl_seconds})
            return
        keys = self._keys(access.company_id, access.membership_id, access.access_version)
        payload = _encoder.encode(access)
        ttl_ms = max(1, int(ttl * 1000))
        self._keep_near(access, ttl, self._clock())
        with contextlib.suppress(RedisUnavailable):
            await self._redis(lambda _: self._put_script(keys=keys, args=[payload, ttl_ms]))

    async def invalidate_membership(self, company_id: UUID, membership_id: UUID) -> None:
        self._local.delete_where(lambda key: key[0] == company_id and key[1] == membership_id)
        await self._bump(self.gate.key("access-gen", company_id, membership_id))

    async def invalidate_company(self, company_id: UUID) -> None:
        self._local.delete_where(lambda key: key[0] == company_id)
        await self._bump(self.gate.key("access-gen", company_id))

    async def _bump(self, key: str) -> None:
        ttl_ms = int(self._max_ttl * 1000)
        # If Redis is down, the gate bumps the epoch when it is back, which covers this invalidation.
        with contextlib.suppress(RedisUnavailable):
            await self._redis(lambda _: self._bump_script(keys=[key], args=[ttl_ms]), invalidation=True)


class RedisEntitlementsCache(_Base):
    """Implements ``kisum.application.auth.ports.EntitlementsCache``."""

    def __init__(
        self, gate: RedisGate, *, floor_ttl_seconds: float = DEFAULT_FLOOR_TTL_SECONDS, **options: Any
    ) -> None:
        super().__init__(gate, **options)
        if floor_ttl_seconds <= 0:
            raise ValueError("floor_ttl_seconds must be positive")
        self._floor_ttl = floor_ttl_seconds
        self._local: LocalTTLCache[UUID, Entitlements] = LocalTTLCache(
            self._local_max_entries, monotonic=self._monotonic
        )
        self._local_floors: LocalTTLCache[UUID, int] = LocalTTLCache(self._local_max_entries, monotonic=self._monotonic)
        client = gate.client
        self._put_script: Any = client.register_script(_PUT_ENTITLEMENTS) if client is not None else None
        self._invalidate_script: Any = client.register_script(_INVALIDATE_ENTITLEMENTS) if client is not None else None

    @classmethod
    def from_settings(cls, gate: RedisGate, settings: Settings) -> RedisEntitlementsCache:
        return cls(gate, local_max_entries=settings.local_cache_max_entries)

    async def get(self, company_id: UUID) -> Entitlements | None:
        keys = [self.gate.key("entitlements", company_id), self.gate.key(EPOCH_KEY)]
        try:
            raw, epoch = await self._redis(lambda client: client.mget(keys))
        except RedisUnavailable:
            return self._local.get(company_id)
        if raw is None:
            return None
        try:
            entry_epoch, entitlements = _entitlements_entry.decode(raw)
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError):
            return None
        if entry_epoch != _int(epoch) or entitlements.company_id != company_id:
            return None
        if entitlements.is_expired(self._clock()):
            return None
        return entitlements

    async def put(self, entitlements: Entitlements, ttl_seconds: int) -> None:
        ttl = _clamp_ttl(ttl_seconds, entitlements.valid_until, self._clock(), self._max_ttl)
        if ttl <= 0:
            logger.debug("not caching entitlements with a non-positive ttl", extra={"ttlSeconds": ttl_seconds})
            return
        company_id = entitlements.company_id
        keys = [
            self.gate.key("entitlements", company_id),
            self.gate.key("entitlements-floor", company_id),
            self.gate.key(EPOCH_KEY),
        ]
        args = [entitlements.entitlement_version, _encoder.encode(entitlements), max(1, int(ttl * 1000))]
        try:
            await self._redis(lambda _: self._put_script(keys=keys, args=args))
        except RedisUnavailable:
            floor = self._local_floors.get(company_id)
            if floor is not None and entitlements.entitlement_version < floor:
                return
            self._local.set(company_id, entitlements, min(ttl, self._local_max_ttl))

    async def invalidate(self, company_id: UUID, *, min_version: int) -> None:
        self._local.delete(company_id)
        current = self._local_floors.get(company_id)
        self._local_floors.set(
            company_id, max(min_version, current if current is not None else min_version), self._floor_ttl
        )
        keys = [self.gate.key("entitlements", company_id), self.gate.key("entitlements-floor", company_id)]
        with contextlib.suppress(RedisUnavailable):  # else covered by the epoch bump when Redis is back
            await self._redis(
                lambda _: self._invalidate_script(keys=keys, args=[min_version, int(self._floor_ttl * 1000)]),
                invalidation=True,
            )


__all__ = ["RedisAccessCache", "RedisEntitlementsCache"]
