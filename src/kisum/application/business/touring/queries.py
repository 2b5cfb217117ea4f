"""Touring queries: a tour with its itinerary, the tour list, a tour's legs."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from kisum.application.business.touring.ports import TouringUnitOfWork, TourSummary
from kisum.domain.business.touring import Leg, Tour, TourNotFound, TourStatus
from kisum.domain.paging import Page, PageRequest


@dataclass(frozen=True, slots=True)
class GetTour:
    company_id: UUID
    tour_id: UUID


@dataclass(frozen=True, slots=True)
class ListTours:
    company_id: UUID
    page: PageRequest = field(default_factory=PageRequest)
    status: TourStatus | None = None


@dataclass(frozen=True, slots=True)
class ListLegs:
    company_id: UUID
    tour_id: UUID
    page: PageRequest = field(default_factory=PageRequest)


@dataclass(frozen=True, slots=True)
class GetLeg:
    company_id: UUID
    tour_id: UUID
    leg_id: UUID


class GetTourHandler:
    def __init__(self, uow: TouringUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: GetTour) -> Tour:
        async with self._uow as uow:
            tour = await uow.tours(query.company_id).get(query.tour_id)
        if tour is None:
            raise TourNotFound(f"tour {query.tour_id} does not exist")
        return tour


class ListToursHandler:
    def __init__(self, uow: TouringUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: ListTours) -> Page[TourSummary]:
        async with self._uow as uow:
            return await uow.tours(query.company_id).find(query.page, status=query.status)


class ListLegsHandler:
    """The tour's legs in date order, one page of them."""

    def __init__(self, uow: TouringUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: ListLegs) -> Page[Leg]:
        tour = await GetTourHandler(self._uow)(GetTour(query.company_id, query.tour_id))
        legs = tour.itinerary()
        window = legs[query.page.offset : query.page.offset + query.page.limit]
        return Page(items=window, page=query.page.page, limit=query.page.limit, total=len(legs))


class GetLegHandler:
    def __init__(self, uow: TouringUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: GetLeg) -> Leg:
        tour = await GetTourHandler(self._uow)(GetTour(query.company_id, query.tour_id))
        return tour.leg(query.leg_id)
