"""Touring persistence on the real PostgreSQL: a tour with its legs, scoping, the date constraint."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from kisum.adapters.persistence.database import create_session_factory
from kisum.adapters.persistence.touring.uow import SqlTouringUnitOfWork
from kisum.domain.business.touring import Leg, LegDateTaken, Tour
from kisum.domain.paging import PageRequest
from tests.adapters.module_migrations import assert_round_trip, assert_sqlite_round_trip
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def tour(company: UUID, name: str = "Tour") -> Tour:
    return Tour.create(
        id=uuid4(), company_id=company, name=name, artist_id=None, artist_name="Band", status=None, now=NOW
    )


@pytest.fixture
async def uow(engine_for: EngineForRole) -> SqlTouringUnitOfWork:
    return SqlTouringUnitOfWork(create_session_factory(await engine_for("touring")))


async def stored_tour(uow: SqlTouringUnitOfWork, company: UUID, *days: int) -> Tour:
    subject = tour(company)
    for day in days:
        subject.add_leg(id=uuid4(), on=date(2025, 7, day), city=f"City {day}", venue_name=None, now=NOW)
    async with uow:
        await uow.tours(company).add(subject)
        await uow.commit()
    return subject


async def test_a_tour_round_trips_with_its_legs(uow: SqlTouringUnitOfWork) -> None:
    company = uuid4()
    subject = await stored_tour(uow, company, 3, 1)
    async with uow:
        loaded = await uow.tours(company).get(subject.id)
    assert loaded is not None
    assert [leg.date.day for leg in loaded.legs] == [1, 3]
    assert {leg.id for leg in loaded.legs} == {leg.id for leg in subject.legs}


async def test_save_adds_changes_and_removes_legs(uow: SqlTouringUnitOfWork) -> None:
    company = uuid4()
    subject = await stored_tour(uow, company, 1, 2)
    async with uow:
        loaded = await uow.tours(company).get(subject.id, for_update=True)
        assert loaded is not None
        first, second = loaded.itinerary()
        loaded.remove_leg(first.id, now=NOW)
        loaded.change_leg(second.id, now=NOW, city="Renamed")
        loaded.add_leg(id=uuid4(), on=date(2025, 7, 1), city="Reused date", venue_name="Club", now=NOW)
        await uow.tours(company).save(loaded)
        await uow.commit()
    async with uow:
        again = await uow.tours(company).get(subject.id)
    assert again is not None
    assert [(leg.date.day, leg.city) for leg in again.itinerary()] == [(1, "Reused date"), (2, "Renamed")]


async def test_the_database_backs_the_one_leg_per_date_rule(uow: SqlTouringUnitOfWork) -> None:
    company = uuid4()
    subject = await stored_tour(uow, company, 1)
    async with uow:
        loaded = await uow.tours(company).get(subject.id)
        assert loaded is not None
        # A writer that skipped the domain check (a race) still cannot store a second leg that day.
        loaded.legs.append(Leg(uuid4(), loaded.id, date(2025, 7, 1), "Sneaky", None, NOW, NOW))
        with pytest.raises(LegDateTaken):
            await uow.tours(company).save(loaded)


async def test_other_companies_see_no_tour_and_cannot_delete_it(uow: SqlTouringUnitOfWork) -> None:
    company, other = uuid4(), uuid4()
    subject = await stored_tour(uow, company, 1)
    async with uow:
        assert await uow.tours(other).get(subject.id) is None
        assert await uow.tours(other).delete(subject.id) is False
        assert (await uow.tours(other).find(PageRequest())).total == 0
        await uow.commit()
    async with uow:
        loaded = await uow.tours(company).get(subject.id)
    assert loaded is not None
    assert len(loaded.legs) == 1


async def test_find_summarises_legs_per_tour(uow: SqlTouringUnitOfWork) -> None:
    company = uuid4()
    await stored_tour(uow, company, 5, 9, 7)
    empty = tour(company, name="Zz empty")
    async with uow:
        await uow.tours(company).add(empty)
        await uow.commit()
    async with uow:
        page = await uow.tours(company).find(PageRequest())
    assert [(t.leg_count, t.first_date, t.last_date) for t in page.items] == [
        (3, date(2025, 7, 5), date(2025, 7, 9)),
        (0, None, None),
    ]


async def test_deleting_a_tour_deletes_its_legs(uow: SqlTouringUnitOfWork) -> None:
    company = uuid4()
    subject = await stored_tour(uow, company, 1, 2)
    async with uow:
        assert await uow.tours(company).delete(subject.id) is True
        await uow.commit()
    async with uow:
        assert await uow.tours(company).get(subject.id) is None


async def test_migrations_go_down_and_up_on_postgres(engine_for: EngineForRole) -> None:
    await assert_round_trip(await engine_for("touring"), "touring", {"tours", "tour_legs"})


async def test_migrations_go_down_and_up_on_sqlite(tmp_path: Path) -> None:
    await assert_sqlite_round_trip(tmp_path, "touring", {"tours", "tour_legs"})
