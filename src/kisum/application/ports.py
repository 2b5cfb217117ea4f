"""Ports shared by every bounded context: time and identity come from outside the domain."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class IdGenerator(Protocol):
    def new_id(self) -> UUID: ...


class UnitOfWork(Protocol):
    """One transaction; only ``commit`` makes a change durable."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
