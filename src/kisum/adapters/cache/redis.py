"""One Redis client per process, short timeouts, a key prefix per role, and a fallback switch.

- ``create_redis_client``: explicit connect and read timeouts (default 250 ms), **no retries**
  (redis-py 8 would otherwise retry with backoff on a 5 s timeout), a bounded, blocking pool.
- ``RedisGate``: what every Redis adapter goes through. When Redis fails, the gate opens for
  ``reprobe_seconds``: during that time adapters use their in-process fallback without touching
  Redis, so a dead Redis costs microseconds per request, not a timeout. After the interval exactly
  one caller probes Redis; the others keep the fallback until the probe succeeds.
- Caches built on the gate also read a process-wide ``epoch`` key: a process that could not
  write an invalidation (``run(..., invalidation=True)`` failed or was skipped while the gate was
  open) bumps the epoch once when it sees Redis again, which makes every entry written before
  the outage a miss. Failed reads and puts do not: under load a slow read trips the gate, and
  bumping then would empty every cache of every process for nothing.
- ``KISUM_REDIS_URL`` unset: there is no client and every adapter is in-process only.
- The in-process fallbacks are ``LocalTTLCache`` (``kisum.adapters.cache.local``).

Deploy Redis for these caches with ``maxmemory-policy`` ``noeviction`` or a ``volatile-*``
policy: every key written here carries a TTL except the epoch.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Final, TypeVar

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from kisum.config import Role, Settings

logger = logging.getLogger("kisum.redis")

DEFAULT_TIMEOUT_SECONDS: Final = 0.25
DEFAULT_REPROBE_SECONDS: Final = 2.0
EPOCH_KEY: Final = "cache-epoch"

T = TypeVar("T")


def create_redis_client(
    url: str, *, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS, max_connections: int = 64
) -> Redis:
    """A client that fails fast: short connect/read timeouts, zero retries, bounded pool."""
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=timeout_seconds,  # waiting for a free connection is bounded too
        socket_timeout=timeout_seconds,
        socket_connect_timeout=timeout_seconds,
        socket_keepalive=True,
        health_check_interval=0,
        retry=Retry(NoBackoff(), 0),
    )
    return Redis(connection_pool=pool, retry=Retry(NoBackoff(), 0))


def role_prefix(settings: Settings, role: Role) -> str:
    """``kisum:auth:`` — every key of one role starts with it."""
    return f"{settings.redis_prefix}:{role.value}:"


class RedisUnavailable(Exception):
    """Redis is not configured, known to be down, or just failed: use the in-process fallback."""


class RedisGate:
    """The process's Redis client plus the "is it worth trying" switch shared by its adapters."""

    def __init__(
        self,
        client: Redis | None,
        prefix: str,
        *,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        reprobe_seconds: float = DEFAULT_REPROBE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.prefix = prefix
        # A hard cap on one operation, whatever the socket does (pool wait + connect + read).
        self._deadline = timeout_seconds * 3
        self._reprobe_seconds = reprobe_seconds
        self._monotonic = monotonic
        self._down_until: float | None = None
        self._probing = False
        self._missed_writes = False
        self.failures = 0  # total, for tests and metrics

    @classmethod
    def from_settings(cls, settings: Settings, role: Role, client: Redis | None = None) -> RedisGate:
        if client is None and settings.redis_url:
            client = create_redis_client(settings.redis_url, timeout_seconds=settings.redis_timeout_seconds)
        return cls(
            client,
            role_prefix(settings, role),
            timeout_seconds=settings.redis_timeout_seconds,
            reprobe_seconds=settings.redis_reprobe_seconds,
        )

    @property
    def configured(self) -> bool:
        return self.client is not None

    @property
    def healthy(self) -> bool:
        return self.client is not None and self._down_until is None

    def key(self, *parts: object) -> str:
        return self.prefix + ":".join(str(part) for part in parts)

    async def run(self, operation: Callable[[Redis], Awaitable[T]], *, invalidation: bool = False) -> T:
        """Run one Redis operation, or raise ``RedisUnavailable`` at once when Redis is known down.

        ``invalidation``: the operation drops or fences cached entries; if it cannot be done,
        the epoch is bumped when Redis is back."""
        client = self.client
        if client is None:
            raise RedisUnavailable("redis is not configured")
        probing = False
        if self._down_until is not None:
            if self._monotonic() < self._down_until or self._probing:
                self._missed_writes = self._missed_writes or invalidation
                raise RedisUnavailable("redis is down; using the fallback")
            self._probing = probing = True
        try:
            async with asyncio.timeout(self._deadline):
                if self._missed_writes:
                    # Back after an outage in which this process may have dropped invalidations.
                    epoch = await client.incr(self.key(EPOCH_KEY))
                    self._missed_writes = False
                    logger.warning("redis is back; cache epoch bumped", extra={"epoch": epoch})
                result = await operation(client)
        except (RedisError, OSError, TimeoutError) as error:
            self._missed_writes = self._missed_writes or invalidation
            self._trip(error)
            raise RedisUnavailable(str(error) or type(error).__name__) from error
        finally:
            if probing:
                self._probing = False
        if self._down_until is not None:
            self._down_until = None
            logger.info("redis is reachable again")
        return result

    def _trip(self, error: BaseException) -> None:
        self.failures += 1
        first = self._down_until is None
        self._down_until = self._monotonic() + self._reprobe_seconds
        log = logger.warning if first else logger.debug
        log("redis unavailable; in-process fallback for %.1fs", self._reprobe_seconds, extra={"error": repr(error)})

    async def aclose(self) -> None:
        if self.client is not None:
            await self.client.aclose()


__all__ = [
    "DEFAULT_REPROBE_SECONDS",
    "DEFAULT_TIMEOUT_SECONDS",
    "EPOCH_KEY",
    "RedisGate",
    "RedisUnavailable",
    "create_redis_client",
    "role_prefix",
]
