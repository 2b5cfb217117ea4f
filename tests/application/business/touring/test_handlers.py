"""Touring handlers against in-memory ports: tours and legs, commits, refusals."""

from __future__ import annotations

import copy
from datetime import date
from uuid import UUID, uuid4

import pytest

from kisum.application.business.touring.commands import (
    AddLeg,
    AddLegHandler,
    CreateTour,
    CreateTourHandler,
    DeleteTour,
    DeleteTourHandler,
    RemoveLeg,
    RemoveLegHandler,
    UpdateLeg,
    UpdateLegHandler,
)
from kisum.application.business.touring.ports import TourSummary
from kisum.application.business.touring.queries import GetLeg, GetLegHandler, ListLegs, ListLegsHandler
from kisum.domain.business.touring import LegDateTaken, LegNotFound, Tour, TourNotFound, TourStatus
from kisum.domain.paging import Page, PageRequest
from tests.application.business.fakes import FakeClock, FakeIds, FakeUnitOfWork, TenantStore

COMPANY, OTHER = uuid4(), uuid4()


class FakeTours(TenantStore[Tour]):
    async def add(self, tour: Tour) -> None:
        self.put(tour.id, copy.deepcopy(tour))

    async def get(self, tour_id: UUID, *, for_update: bool = False) -> Tour | None:
        return copy.deepcopy(self.take(tour_id))

    async def save(self, tour: Tour) -> None:
        self.put(tour.id, copy.deepcopy(tour))

    async def delete(self, tour_id: UUID) -> bool:
        return self.drop(tour_id)

    async def find(self, page: PageRequest, *, status: TourStatus | None = None) -> Page[TourSummary]:
        raise NotImplementedError  # listing is covered against PostgreSQL


class FakeTouringUow(FakeUnitOfWork):
    def __init__(self) -> None:
        self.items: dict[tuple[UUID, UUID], Tour] = {}
        super().__init__(self.items)

    def tours(self, company_id: UUID) -> FakeTours:
        return FakeTours(self.items, company_id)


@pytest.fixture
def uow() -> FakeTouringUow:
    return FakeTouringUow()


async def create(uow: FakeTouringUow, company: UUID = COMPANY) -> Tour:
    return await CreateTourHandler(uow, FakeClock(), FakeIds())(CreateTour(company, "Tour", artist_name="Band"))


async def add(uow: FakeTouringUow, tour: Tour, day: int, company: UUID = COMPANY) -> UUID:
    leg = await AddLegHandler(uow, FakeClock(), FakeIds())(AddLeg(company, tour.id, date(2025, 7, day), "City"))
    return leg.id


async def test_adding_legs_stores_them_in_the_tour_and_commits_each_time(uow: FakeTouringUow) -> None:
    tour = await create(uow)
    await add(uow, tour, 2)
    await add(uow, tour, 1)
    stored = uow.items[(COMPANY, tour.id)]
    assert [leg.date.day for leg in stored.itinerary()] == [1, 2]
    assert uow.commits == 3


async def test_a_second_leg_on_a_date_is_refused_without_commit(uow: FakeTouringUow) -> None:
    tour = await create(uow)
    await add(uow, tour, 1)
    with pytest.raises(LegDateTaken):
        await add(uow, tour, 1)
    assert len(uow.items[(COMPANY, tour.id)].legs) == 1
    assert uow.commits == 2


async def test_update_and_remove_a_leg(uow: FakeTouringUow) -> None:
    tour = await create(uow)
    leg_id = await add(uow, tour, 1)
    moved = await UpdateLegHandler(uow, FakeClock())(UpdateLeg(COMPANY, tour.id, leg_id, on=date(2025, 8, 1)))
    assert moved.date == date(2025, 8, 1)
    assert (await GetLegHandler(uow)(GetLeg(COMPANY, tour.id, leg_id))).date == date(2025, 8, 1)
    await RemoveLegHandler(uow, FakeClock())(RemoveLeg(COMPANY, tour.id, leg_id))
    with pytest.raises(LegNotFound):
        await GetLegHandler(uow)(GetLeg(COMPANY, tour.id, leg_id))
    assert uow.commits == 4


async def test_legs_are_listed_a_page_at_a_time_in_date_order(uow: FakeTouringUow) -> None:
    tour = await create(uow)
    for day in (5, 3, 4, 1, 2):
        await add(uow, tour, day)
    page = await ListLegsHandler(uow)(ListLegs(COMPANY, tour.id, PageRequest(2, 2)))
    assert [leg.date.day for leg in page.items] == [3, 4]
    assert page.total == 5


async def test_another_companys_tour_is_not_found_for_legs_and_delete(uow: FakeTouringUow) -> None:
    tour = await create(uow, OTHER)
    with pytest.raises(TourNotFound):
        await add(uow, tour, 1)
    with pytest.raises(TourNotFound):
        await DeleteTourHandler(uow)(DeleteTour(COMPANY, tour.id))
    assert uow.items[(OTHER, tour.id)].legs == []
