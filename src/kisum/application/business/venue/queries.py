"""Venue queries: one hold, a page of holds, and the calendar of a time range."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from kisum.application.business.venue.ports import VenueUnitOfWork
from kisum.domain.business.venue import Hold, HoldNotFound, HoldType, calendar_range
from kisum.domain.intervals import Interval
from kisum.domain.paging import Page, PageRequest


@dataclass(frozen=True, slots=True)
class GetHold:
    company_id: UUID
    hold_id: UUID


@dataclass(frozen=True, slots=True)
class ListHolds:
    company_id: UUID
    page: PageRequest = field(default_factory=PageRequest)
    venue_id: UUID | None = None
    hold_type: HoldType | None = None


@dataclass(frozen=True, slots=True)
class GetCalendar:
    company_id: UUID
    starts_at: datetime
    ends_at: datetime
    venue_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class Calendar:
    window: Interval[datetime]
    venue_id: UUID | None
    holds: list[Hold]


class GetHoldHandler:
    def __init__(self, uow: VenueUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: GetHold) -> Hold:
        async with self._uow as uow:
            hold = await uow.holds(query.company_id).get(query.hold_id)
        if hold is None:
            raise HoldNotFound(f"hold {query.hold_id} does not exist")
        return hold


class ListHoldsHandler:
    def __init__(self, uow: VenueUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: ListHolds) -> Page[Hold]:
        async with self._uow as uow:
            return await uow.holds(query.company_id).find(
                query.page, venue_id=query.venue_id, hold_type=query.hold_type
            )


class GetCalendarHandler:
    """Every hold overlapping ``[from, to)`` (at most a year), ordered by start."""

    def __init__(self, uow: VenueUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: GetCalendar) -> Calendar:
        window = calendar_range(query.starts_at, query.ends_at)
        async with self._uow as uow:
            holds = await uow.holds(query.company_id).overlapping(window, venue_id=query.venue_id)
        return Calendar(window, query.venue_id, holds)
