"""Ports of the touring backend; every repository is bound to one company."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from kisum.domain.business.touring import Artist, Tour, TourStatus
from kisum.domain.paging import Page, PageRequest


@dataclass(frozen=True, slots=True)
class TourSummary:
    """A tour in a list: no legs, but how many and the dates they span."""

    id: UUID
    name: str
    artist: Artist
    status: TourStatus
    leg_count: int
    first_date: date | None
    last_date: date | None
    created_at: datetime
    updated_at: datetime


class TourRepository(Protocol):
    """The tours (with their legs) of one company; another company's tour is simply absent."""

    async def add(self, tour: Tour) -> None: ...

    async def get(self, tour_id: UUID, *, for_update: bool = False) -> Tour | None:
        """The tour with all its legs; ``for_update`` locks the tour so leg changes serialise."""
        ...

    async def save(self, tour: Tour) -> None:
        """Write the tour and make its stored legs exactly ``tour.legs``.

        Raises ``LegDateTaken`` if a concurrent writer took one of the dates first.
        """
        ...

    async def delete(self, tour_id: UUID) -> bool: ...

    async def find(self, page: PageRequest, *, status: TourStatus | None = None) -> Page[TourSummary]:
        """Ordered by name, then creation."""
        ...


class TouringUnitOfWork(Protocol):
    def tours(self, company_id: UUID) -> TourRepository: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
