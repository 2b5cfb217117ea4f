"""Two small in-process tools of the hot path: a bounded expiring LRU and a single-flight gate."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
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

    def put(self, key: K, value: V, deadline: float) -> None:
        self._entries[key] = (value, deadline)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class SingleFlight(Generic[K, V]):
    """Concurrent callers with the same key share one call; the call outlives a cancelled caller."""

    __slots__ = ("_calls",)

    def __init__(self) -> None:
        self._calls: dict[K, asyncio.Task[V]] = {}

    async def run(self, key: K, call: Callable[[], Awaitable[V]]) -> V:
        task = self._calls.get(key)
        if task is None:

            async def _run() -> V:
                try:
                    return await call()
                finally:
                    self._calls.pop(key, None)

            task = asyncio.ensure_future(_run())
            task.add_done_callback(_retrieve)
            self._calls[key] = task
        # shield: one caller giving up (timeout, disconnect) must not cancel the others' call.
        return await asyncio.shield(task)

    def in_flight(self) -> int:
        return len(self._calls)


def _retrieve(task: asyncio.Task[object]) -> None:
    """Mark the outcome as seen even if every caller went away before it finished."""
    if not task.cancelled():
        task.exception()
