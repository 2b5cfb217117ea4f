"""Ports of the venue backend; every repository is bound to one company."""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from kisum.domain.business.venue import Hold, HoldType
from kisum.domain.intervals import Interval
from kisum.domain.paging import Page, PageRequest


class HoldRepository(Protocol):
    """The calendar holds of one company; another company's hold is simply absent."""

    async def add(self, hold: Hold) -> None: ...

    async def get(self, hold_id: UUID, *, for_update: bool = False) -> Hold | None: ...

    async def save(self, hold: Hold) -> None: ...

    async def delete(self, hold_id: UUID) -> bool: ...

    async def find(
        self, page: PageRequest, *, venue_id: UUID | None = None, hold_type: HoldType | None = None
    ) -> Page[Hold]:
        """Ordered by start, then creation."""
        ...

    async def overlapping(self, window: Interval[datetime], *, venue_id: UUID | None = None) -> list[Hold]:
        """Holds that overlap ``window`` (half-open), ordered by start."""
        ...

    async def lock_venue(self, venue_id: UUID) -> None:
        """Serialise writers of one venue's calendar until the transaction ends."""
        ...


class VenueUnitOfWork(Protocol):
    def holds(self, company_id: UUID) -> HoldRepository: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
