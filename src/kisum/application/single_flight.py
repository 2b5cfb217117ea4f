"""A single-flight gate: concurrent misses for one key share one call.

A cache that expires under load would otherwise send every concurrent request to the source at
once (a stampede): each waits for its own copy of the same answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


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
