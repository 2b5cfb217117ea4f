"""Password hashing: argon2id (argon2-cffi), off the event loop, with a bounded number at once.

- Parameters never go below OWASP's minimum for argon2id (m=19456 KiB, t=2, p=1); Settings
  refuses lower values and so does this class.
- Each hash takes tens of milliseconds of CPU and ``memory_kib`` of RAM, so it runs in a
  dedicated thread pool (argon2 releases the GIL) and an ``asyncio.Semaphore`` sized from the CPU
  count caps how many run at once: a login flood queues instead of exhausting CPU and memory,
  and other requests keep the event loop.
- ``verify_dummy`` verifies against a hash made with the same parameters, so an unknown email
  costs the same time as a wrong password. Unreadable stored hashes take the same path.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Final, TypeVar

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError

from kisum.config import Settings

OWASP_MIN_MEMORY_KIB: Final = 19456
OWASP_MIN_TIME_COST: Final = 2
OWASP_MIN_PARALLELISM: Final = 1
# Longer inputs are refused before any work: they cannot be a password we accepted (8-128).
MAX_PASSWORD_CHARS: Final = 1024

T = TypeVar("T")


def default_concurrency() -> int:
    return max(1, os.cpu_count() or 1)


class Argon2PasswordHasher:
    """Implements ``kisum.application.auth.ports.PasswordHasher``."""

    def __init__(
        self,
        *,
        memory_kib: int = OWASP_MIN_MEMORY_KIB,
        time_cost: int = OWASP_MIN_TIME_COST,
        parallelism: int = OWASP_MIN_PARALLELISM,
        max_concurrent: int | None = None,
    ) -> None:
        if memory_kib < OWASP_MIN_MEMORY_KIB or time_cost < OWASP_MIN_TIME_COST or parallelism < OWASP_MIN_PARALLELISM:
            raise ValueError("argon2id parameters below OWASP's minimum (m=19456 KiB, t=2, p=1)")
        self.max_concurrent = max_concurrent or default_concurrency()
        if self.max_concurrent < 1:
            raise ValueError("max_concurrent must be at least 1")
        self._argon2 = _Argon2(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, hash_len=32, salt_len=16, type=Type.ID
        )
        self._executor = ThreadPoolExecutor(max_workers=self.max_concurrent, thread_name_prefix="kisum-argon2")
        self._slots = asyncio.Semaphore(self.max_concurrent)
        self._dummy_hash: str | None = None
        self.running = 0  # hashes in progress right now (observable; used by tests and metrics)
        self.peak_running = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> Argon2PasswordHasher:
        return cls(
            memory_kib=settings.password_hash_memory_kib,
            time_cost=settings.password_hash_time_cost,
            parallelism=settings.password_hash_parallelism,
            max_concurrent=settings.password_hash_concurrency,
        )

    @property
    def parameters(self) -> tuple[int, int, int]:
        """``(memory_kib, time_cost, parallelism)``."""
        return (self._argon2.memory_cost, self._argon2.time_cost, self._argon2.parallelism)

    async def hash(self, password: str) -> str:
        if len(password) > MAX_PASSWORD_CHARS:
            raise ValueError("password too long")
        return await self._run(self._argon2.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        if len(password) > MAX_PASSWORD_CHARS:
            return False
        try:
            return await self._run(self._argon2.verify, password_hash, password)
        except InvalidHashError:
            # Unreadable stored hash (or none): same cost as a real verification, then refuse.
            await self.verify_dummy(password)
            return False
        except VerificationError:  # includes VerifyMismatchError
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._argon2.check_needs_rehash(password_hash)
        except (InvalidHashError, ValueError):
            return True

    async def verify_dummy(self, password: str) -> None:
        dummy = await self._dummy()
        candidate = password[:MAX_PASSWORD_CHARS]
        with contextlib.suppress(VerificationError, InvalidHashError):
            await self._run(self._argon2.verify, dummy, candidate)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            # A random secret nobody knows, hashed once with the current parameters.
            self._dummy_hash = await self._run(self._argon2.hash, secrets.token_urlsafe(32))
        return self._dummy_hash

    async def _run(self, function: Callable[..., T], *args: object) -> T:
        async with self._slots:
            self.running += 1
            self.peak_running = max(self.peak_running, self.running)
            try:
                return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)
            finally:
                self.running -= 1
