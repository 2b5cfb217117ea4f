"""Venue handlers against in-memory ports: conflict checks, the venue lock, commits."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from kisum.application.business.venue.commands import (
    CreateHold,
    CreateHoldHandler,
    DeleteHold,
    DeleteHoldHandler,
    UpdateHold,
    UpdateHoldHandler,
)
from kisum.application.business.venue.queries import GetCalendar, GetCalendarHandler
from kisum.domain.business.venue import Hold, HoldConflict, HoldNotFound, HoldType
from kisum.domain.errors import FieldInvalid
from kisum.domain.intervals import Interval
from kisum.domain.paging import Page, PageRequest
from tests.application.business.fakes import FakeClock, FakeIds, FakeUnitOfWork, TenantStore

COMPANY, OTHER, VENUE = uuid4(), uuid4(), uuid4()
DAY = datetime(2025, 6, 1, tzinfo=UTC)


class FakeHolds(TenantStore[Hold]):
    locked: list[UUID]

    async def add(self, hold: Hold) -> None:
        self.put(hold.id, copy.deepcopy(hold))

    async def get(self, hold_id: UUID, *, for_update: bool = False) -> Hold | None:
        return copy.deepcopy(self.take(hold_id))

    async def save(self, hold: Hold) -> None:
        self.put(hold.id, copy.deepcopy(hold))

    async def delete(self, hold_id: UUID) -> bool:
        return self.drop(hold_id)

    async def find(
        self, page: PageRequest, *, venue_id: UUID | None = None, hold_type: HoldType | None = None
    ) -> Page[Hold]:
        return self.page(self.mine(), page, key=lambda h: h.period.starts_at)

    async def overlapping(self, window: Interval[datetime], *, venue_id: UUID | None = None) -> list[Hold]:
        found = [h for h in self.mine() if h.period.overlaps(window) and venue_id in (None, h.venue_id)]
        return sorted(copy.deepcopy(found), key=lambda h: h.period.starts_at)

    async def lock_venue(self, venue_id: UUID) -> None:
        self.locked.append(venue_id)


class FakeVenueUow(FakeUnitOfWork):
    def __init__(self) -> None:
        self.items: dict[tuple[UUID, UUID], Hold] = {}
        self.locked: list[UUID] = []
        super().__init__(self.items)

    def holds(self, company_id: UUID) -> FakeHolds:
        repository = FakeHolds(self.items, company_id)
        repository.locked = self.locked
        return repository


@pytest.fixture
def uow() -> FakeVenueUow:
    return FakeVenueUow()


async def place(uow: FakeVenueUow, start: int, end: int, kind: str = "confirmed", company: UUID = COMPANY) -> Hold:
    return await CreateHoldHandler(uow, FakeClock(), FakeIds())(
        CreateHold(company, VENUE, DAY + timedelta(hours=start), DAY + timedelta(hours=end), kind)
    )


async def test_a_confirmed_hold_locks_the_venue_before_it_is_stored(uow: FakeVenueUow) -> None:
    hold = await place(uow, 18, 23)
    assert uow.locked == [VENUE]
    assert (COMPANY, hold.id) in uow.items
    assert uow.commits == 1


async def test_a_pencilled_hold_needs_no_lock(uow: FakeVenueUow) -> None:
    await place(uow, 18, 23, "first")
    assert uow.locked == []


async def test_an_overlapping_confirmed_hold_is_refused_without_commit(uow: FakeVenueUow) -> None:
    await place(uow, 18, 23)
    with pytest.raises(HoldConflict):
        await place(uow, 20, 21)
    assert len(uow.items) == 1
    assert uow.commits == 1


async def test_another_companys_confirmed_hold_does_not_block(uow: FakeVenueUow) -> None:
    await place(uow, 18, 23, company=OTHER)
    await place(uow, 18, 23)
    assert len(uow.items) == 2


async def test_confirming_a_pencilled_hold_is_checked(uow: FakeVenueUow) -> None:
    await place(uow, 18, 23)
    pencil = await place(uow, 20, 22, "second")
    with pytest.raises(HoldConflict):
        await UpdateHoldHandler(uow, FakeClock())(UpdateHold(COMPANY, pencil.id, hold_type="confirmed"))
    assert uow.items[(COMPANY, pencil.id)].hold_type is HoldType.SECOND


async def test_delete_of_another_companys_hold_is_not_found(uow: FakeVenueUow) -> None:
    hold = await place(uow, 18, 23, company=OTHER)
    with pytest.raises(HoldNotFound):
        await DeleteHoldHandler(uow)(DeleteHold(COMPANY, hold.id))


async def test_calendar_window_is_validated_and_filtered(uow: FakeVenueUow) -> None:
    await place(uow, 18, 23)
    await place(uow, 48, 50)
    calendar = await GetCalendarHandler(uow)(GetCalendar(COMPANY, DAY, DAY + timedelta(days=1), VENUE))
    assert len(calendar.holds) == 1
    with pytest.raises(FieldInvalid):
        await GetCalendarHandler(uow)(GetCalendar(COMPANY, DAY, DAY))
