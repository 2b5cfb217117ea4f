"""The one bounded, expiring, in-process LRU of the code base, and its clock-bound TTL view.

``ExpiringLru`` takes deadlines on the caller's clock (the hot-path caches use token ``exp`` or
``time.monotonic()``); ``LocalTTLCache`` reads its own monotonic clock and takes TTLs, which is
what the in-process fallbacks of the Redis structures want. Neither ever holds more than
``max_entries``, whatever keys an attacker makes us store.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ExpiringLru(Generic[K, V]):
    """At most ``max_entries`` values, each with its own deadline on the caller's clock.

    Only successes are ever put here; an expired entry is dropped when it is next looked up,
    and the least recently used entry goes first when the cache is full.
    """

    __slots__ = ("_entries", "max_entries")

    def __init__(self, max_entries: int) -> None:
        if max_entries < 1:
            raise ValueError("an LRU needs room for at least one entry")
        self.max_entries = max_entries
        self._entries: OrderedDict[K, tuple[V, float]] = OrderedDict()

    def get(self, key: K, now: float) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, deadline = entry
        if now >= deadline:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def deadline(self, key: K) -> float | None:
        """The deadline of ``key``'s entry (expired or not), or None without one."""
        entry = self._entries.get(key)
        return None if entry is None else entry[1]

    def put(self, key: K, value: V, deadline: float) -> None:
        self._entries[key] = (value, deadline)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def delete(self, key: K) -> None:
        self._entries.pop(key, None)

    def delete_where(self, predicate: Callable[[K], bool]) -> int:
        doomed = [key for key in self._entries if predicate(key)]
        for key in doomed:
            del self._entries[key]
        return len(doomed)

    def keys(self) -> Iterator[K]:
        return iter(list(self._entries))

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class LocalTTLCache(Generic[K, V]):
    """An ``ExpiringLru`` on its own monotonic clock, set with TTLs: the in-process fallback of
    every Redis structure."""

    __slots__ = ("_lru", "_monotonic")

    def __init__(self, max_entries: int, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._lru: ExpiringLru[K, V] = ExpiringLru(max_entries)
        self._monotonic = monotonic

    @property
    def max_entries(self) -> int:
        return self._lru.max_entries

    def __len__(self) -> int:
        return len(self._lru)

    def get(self, key: K) -> V | None:
        return self._lru.get(key, self._monotonic())

    def remaining(self, key: K) -> float:
        """Seconds until ``key`` expires (0 if absent)."""
        deadline = self._lru.deadline(key)
        return 0.0 if deadline is None else max(0.0, deadline - self._monotonic())

    def set(self, key: K, value: V, ttl_seconds: float) -> None:
        if ttl_seconds <= 0:
            self._lru.delete(key)
            return
        self._lru.put(key, value, self._monotonic() + ttl_seconds)

    def set_keeping_expiry(self, key: K, value: V, ttl_if_new: float) -> None:
        """Replace the value but keep the current expiry (a fixed window); new keys get ``ttl_if_new``."""
        deadline = self._lru.deadline(key)
        if deadline is None or deadline <= self._monotonic():
            self.set(key, value, ttl_if_new)
            return
        self._lru.put(key, value, deadline)

    def delete(self, key: K) -> None:
        self._lru.delete(key)

    def delete_where(self, predicate: Callable[[K], bool]) -> int:
        return self._lru.delete_where(predicate)

    def keys(self) -> Iterator[K]:
        return self._lru.keys()
