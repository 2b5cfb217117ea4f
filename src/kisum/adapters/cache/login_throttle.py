"""Login throttling on atomic Redis operations, with the domain's policy and an in-process fallback.

The arithmetic is ``kisum.domain.auth.throttling.decide``; this adapter only keeps counters, each
read-modify-write in ONE Lua script (atomic across every auth process; never get-then-set):

- ``pair``: a hash ``{n: consecutive failures, t: last failure (Redis server ms)}`` per
  (account, ip); a success deletes it.
- ``ip`` and ``account``: fixed-window failure counters (``INCR``, ``PEXPIRE`` when new).
- ``*-pending``: attempts admitted by ``check`` whose outcome is not recorded yet. ``check``
  reserves a slot in the same script that reads the counters, and the decision counts reserved
  slots as failures. Without this, 1,000 parallel requests would all pass ``check`` before the
  first failure is written and get 1,000 guesses instead of 5. ``record_failure`` turns a
  reservation into a failure, ``record_success`` releases it; a reservation left behind by a
  crash expires after ``PENDING_TTL_SECONDS``.

Only failures count; a rejected ``check`` counts nothing. Identifiers are hashed (SHA-256) into
the keys, so Redis holds no email addresses. Time comes from Redis (``TIME``), so replicas with
skewed clocks agree. If Redis is down, the same rules run on bounded in-process counters (per
process, so N replicas allow up to N times the limits until Redis is back).

Contract for callers: every ``check`` that did not raise is followed by ``record_failure`` or
``record_success`` for the same (account, ip).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import time
from collections.abc import Callable
from typing import Any, Final

from kisum.adapters.cache.local import LocalTTLCache
from kisum.adapters.cache.redis import RedisGate, RedisUnavailable
from kisum.config import Settings
from kisum.domain.auth.throttling import (
    PairCounter,
    ThrottleCounters,
    ThrottleDecision,
    ThrottleSettings,
    WindowCounter,
    decide,
    throttle_account_key,
)
from kisum.domain.errors import RateLimited

logger = logging.getLogger("kisum.auth.throttle")

PENDING_TTL_SECONDS: Final = 60
LOCAL_MAX_ENTRIES: Final = 200_000

_DECREMENT_FLOOR = """
local function release(key)
  local value = tonumber(redis.call('GET', key) or '0')
  if value > 1 then redis.call('DECR', key) else redis.call('DEL', key) end
end
"""

_NOW = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
"""

# KEYS: pair, pair_pending, ip, ip_pending, account, account_pending. ARGV: pending ttl (ms).
# Reads every counter and reserves one pending slot on each, atomically; returns values BEFORE
# the reservation, so each concurrent check sees a distinct number of attempts ahead of it.
_CHECK = (
    _NOW
    + """
local pair = redis.call('HMGET', KEYS[1], 'n', 't')
local function reserve(key)
  local value = redis.call('INCR', key)
  redis.call('PEXPIRE', key, ARGV[1])
  return value - 1
end
return {
  now, tonumber(pair[1] or '0'), tonumber(pair[2] or '0'), reserve(KEYS[2]),
  tonumber(redis.call('GET', KEYS[3]) or '0'), redis.call('PTTL', KEYS[3]), reserve(KEYS[4]),
  tonumber(redis.call('GET', KEYS[5]) or '0'), redis.call('PTTL', KEYS[5]), reserve(KEYS[6])
}
"""
)

# KEYS: pair_pending, ip_pending, account_pending. A rejected check gives its slots back.
_RELEASE = (
    _DECREMENT_FLOOR
    + """
release(KEYS[1]) release(KEYS[2]) release(KEYS[3])
return 1
"""
)

# KEYS: as _CHECK. ARGV: pair ttl (ms), ip window (ms), account window (ms).
_FAILURE = (
    _DECREMENT_FLOOR
    + _NOW
    + """
redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HSET', KEYS[1], 't', now)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
release(KEYS[2])
local function count(key, window)
  local value = redis.call('INCR', key)
  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, window) end
  return value
end
local ip = count(KEYS[3], ARGV[2])
release(KEYS[4])
local account = count(KEYS[5], ARGV[3])
release(KEYS[6])
return {ip, account}
"""
)

# KEYS: pair, pair_pending, ip_pending, account_pending.
_SUCCESS = (
    _DECREMENT_FLOOR
    + """
redis.call('DEL', KEYS[1], KEYS[2])
release(KEYS[3]) release(KEYS[4])
return 1
"""
)


def throttle_settings_from(settings: Settings) -> ThrottleSettings:
    return ThrottleSettings(
        pair_free_failures=settings.login_pair_free_failures,
        pair_base_backoff_seconds=settings.login_pair_base_backoff_seconds,
        pair_max_backoff_seconds=settings.login_pair_max_backoff_seconds,
        pair_counter_ttl_seconds=max(24 * 3600, settings.login_pair_max_backoff_seconds),
        ip_max_failures=settings.login_ip_max_failures,
        ip_window_seconds=settings.login_ip_window_seconds,
        account_max_failures=settings.login_account_max_failures,
        account_window_seconds=settings.login_account_window_seconds,
    )


def _digest(*parts: str) -> str:
    joined = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.sha256(joined).hexdigest()[:40]


def rate_limited(decision: ThrottleDecision) -> RateLimited:
    return RateLimited(
        "Too many login attempts. Try again later.",
        retry_after_seconds=decision.retry_after_seconds,
        code="RATE_LIMITED",
    )


class _Keys:
    __slots__ = ("account", "account_pending", "ip", "ip_pending", "pair", "pair_pending")

    def __init__(self, gate: RedisGate, account: str, ip: str) -> None:
        pair, ip_id, account_id = _digest(account, ip), _digest(ip), _digest(account)
        self.pair = gate.key("throttle", "pair", pair)
        self.pair_pending = gate.key("throttle", "pair-pending", pair)
        self.ip = gate.key("throttle", "ip", ip_id)
        self.ip_pending = gate.key("throttle", "ip-pending", ip_id)
        self.account = gate.key("throttle", "account", account_id)
        self.account_pending = gate.key("throttle", "account-pending", account_id)

    def all(self) -> list[str]:
        return [self.pair, self.pair_pending, self.ip, self.ip_pending, self.account, self.account_pending]


class RedisLoginThrottle:
    """Implements ``kisum.application.auth.ports.LoginThrottle``."""

    def __init__(
        self,
        gate: RedisGate,
        policy: ThrottleSettings | None = None,
        *,
        local_max_entries: int = LOCAL_MAX_ENTRIES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.gate = gate
        self.policy = policy or ThrottleSettings()
        self._monotonic = monotonic
        self._local = _LocalCounters(self.policy, local_max_entries, monotonic)
        self._check_script: Any = None
        self._release_script: Any = None
        self._failure_script: Any = None
        self._success_script: Any = None
        if gate.client is not None:
            self._check_script = gate.client.register_script(_CHECK)
            self._release_script = gate.client.register_script(_RELEASE)
            self._failure_script = gate.client.register_script(_FAILURE)
            self._success_script = gate.client.register_script(_SUCCESS)

    @classmethod
    def from_settings(cls, gate: RedisGate, settings: Settings) -> RedisLoginThrottle:
        return cls(gate, throttle_settings_from(settings))

    async def check(self, account: str, ip: str) -> None:
        account = throttle_account_key(account)
        keys = _Keys(self.gate, account, ip)
        try:
            raw = await self.gate.run(lambda _: self._check_script(keys=keys.all(), args=[PENDING_TTL_SECONDS * 1000]))
        except RedisUnavailable:
            decision = self._local.check(account, ip)
        else:
            decision = decide(self.policy, _counters_from_redis(raw))
            if not decision.allowed:
                await self._release(keys)
        if not decision.allowed:
            raise rate_limited(decision)

    async def record_failure(self, account: str, ip: str) -> None:
        account = throttle_account_key(account)
        keys = _Keys(self.gate, account, ip)
        args = [
            self.policy.pair_counter_ttl_seconds * 1000,
            self.policy.ip_window_seconds * 1000,
            self.policy.account_window_seconds * 1000,
        ]
        try:
            await self.gate.run(lambda _: self._failure_script(keys=keys.all(), args=args))
        except RedisUnavailable:
            self._local.record_failure(account, ip)

    async def record_success(self, account: str, ip: str) -> None:
        account = throttle_account_key(account)
        keys = _Keys(self.gate, account, ip)
        # Reset locally too: a failure counted during an outage must not outlive a success.
        self._local.record_success(account, ip)
        with contextlib.suppress(RedisUnavailable):
            await self.gate.run(
                lambda _: self._success_script(
                    keys=[keys.pair, keys.pair_pending, keys.ip_pending, keys.account_pending]
                )
            )

    async def release(self, account: str, ip: str) -> None:
        """Give back the reservation of a ``check`` whose attempt ended without a verdict
        (e.g. the database failed): nothing is counted. Not part of the port; optional."""
        account = throttle_account_key(account)
        self._local.release(account, ip)
        await self._release(_Keys(self.gate, account, ip))

    async def _release(self, keys: _Keys) -> None:
        with contextlib.suppress(RedisUnavailable):  # else the reservations expire on their own
            await self.gate.run(
                lambda _: self._release_script(keys=[keys.pair_pending, keys.ip_pending, keys.account_pending])
            )


def _counters_from_redis(raw: list[Any]) -> ThrottleCounters:
    now_ms, failures, last_ms, pair_pending, ip, ip_ttl, ip_pending, account, account_ttl, account_pending = (
        int(value) for value in raw
    )
    return _counters(
        failures=failures,
        since_last=(now_ms - last_ms) / 1000 if failures else math.inf,
        pair_pending=pair_pending,
        ip=ip,
        ip_remaining=ip_ttl / 1000 if ip_ttl > 0 else 0.0,
        ip_pending=ip_pending,
        account=account,
        account_remaining=account_ttl / 1000 if account_ttl > 0 else 0.0,
        account_pending=account_pending,
    )


def _counters(
    *,
    failures: int,
    since_last: float,
    pair_pending: int,
    ip: int,
    ip_remaining: float,
    ip_pending: int,
    account: int,
    account_remaining: float,
    account_pending: int,
) -> ThrottleCounters:
    # Attempts in flight count as failures that have just happened: the pessimistic reading.
    return ThrottleCounters(
        pair=PairCounter(
            consecutive_failures=failures + pair_pending,
            seconds_since_last_failure=0.0 if pair_pending else since_last,
        ),
        ip=WindowCounter(failures=ip + ip_pending, seconds_until_reset=ip_remaining),
        account=WindowCounter(failures=account + account_pending, seconds_until_reset=account_remaining),
    )


class _LocalCounters:
    """The same counters in this process (the event loop makes each method atomic)."""

    def __init__(self, policy: ThrottleSettings, max_entries: int, monotonic: Callable[[], float]) -> None:
        self.policy = policy
        self._monotonic = monotonic
        self._pairs: LocalTTLCache[tuple[str, str], tuple[int, float]] = LocalTTLCache(max_entries, monotonic=monotonic)
        self._windows: LocalTTLCache[tuple[str, str], int] = LocalTTLCache(max_entries, monotonic=monotonic)
        self._pending: LocalTTLCache[tuple[str, ...], int] = LocalTTLCache(max_entries, monotonic=monotonic)

    def check(self, account: str, ip: str) -> ThrottleDecision:
        failures, last = self._pairs.get((account, ip)) or (0, 0.0)
        keys = (("pair", account, ip), ("ip", ip), ("account", account))
        pending = [self._pending.get(key) or 0 for key in keys]
        counters = _counters(
            failures=failures,
            since_last=self._monotonic() - last if failures else math.inf,
            pair_pending=pending[0],
            ip=self._windows.get(("ip", ip)) or 0,
            ip_remaining=self._windows.remaining(("ip", ip)),
            ip_pending=pending[1],
            account=self._windows.get(("account", account)) or 0,
            account_remaining=self._windows.remaining(("account", account)),
            account_pending=pending[2],
        )
        decision = decide(self.policy, counters)
        if decision.allowed:
            for key, value in zip(keys, pending, strict=True):
                self._pending.set(key, value + 1, PENDING_TTL_SECONDS)
        return decision

    def record_failure(self, account: str, ip: str) -> None:
        failures, _ = self._pairs.get((account, ip)) or (0, 0.0)
        self._pairs.set((account, ip), (failures + 1, self._monotonic()), self.policy.pair_counter_ttl_seconds)
        for kind, subject, window in (
            ("ip", ip, self.policy.ip_window_seconds),
            ("account", account, self.policy.account_window_seconds),
        ):
            count = self._windows.get((kind, subject)) or 0
            self._windows.set_keeping_expiry((kind, subject), count + 1, window)
        self.release(account, ip)

    def record_success(self, account: str, ip: str) -> None:
        self._pairs.delete((account, ip))
        self._pending.delete(("pair", account, ip))
        self.release(account, ip, pair=False)

    def release(self, account: str, ip: str, *, pair: bool = True) -> None:
        keys: list[tuple[str, ...]] = [("ip", ip), ("account", account)]
        if pair:
            keys.insert(0, ("pair", account, ip))
        for key in keys:
            value = self._pending.get(key) or 0
            if value > 1:
                self._pending.set_keeping_expiry(key, value - 1, PENDING_TTL_SECONDS)
            else:
                self._pending.delete(key)


__all__ = ["PENDING_TTL_SECONDS", "RedisLoginThrottle", "rate_limited", "throttle_settings_from"]
