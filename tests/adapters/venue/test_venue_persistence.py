"""Venue persistence on the real PostgreSQL: scoping, overlap queries, the calendar lock, migrations."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.persistence.database import create_session_factory
from kisum.adapters.persistence.venue.uow import SqlVenueUnitOfWork
from kisum.application.business.venue.commands import CreateHold, CreateHoldHandler
from kisum.domain.business.venue import Hold, HoldConflict, HoldType
from kisum.domain.intervals import Interval
from kisum.domain.paging import PageRequest
from tests.adapters.module_migrations import assert_round_trip, assert_sqlite_round_trip
from tests.application.business.fakes import FakeClock, FakeIds
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
DAY = datetime(2025, 6, 1, tzinfo=UTC)


def hold(company: UUID, venue: UUID, start: int, end: int, kind: str = "confirmed") -> Hold:
    return Hold.create(
        id=uuid4(),
        company_id=company,
        venue_id=venue,
        starts_at=DAY + timedelta(hours=start),
        ends_at=DAY + timedelta(hours=end),
        hold_type=kind,
        note=None,
        now=NOW,
    )


@pytest.fixture
async def factory(engine_for: EngineForRole) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(await engine_for("venue"))


async def test_overlapping_returns_only_the_companys_holds_in_the_window(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    company, other, venue = uuid4(), uuid4(), uuid4()
    uow = SqlVenueUnitOfWork(factory)
    async with uow:
        for subject in (hold(company, venue, 18, 23), hold(company, venue, 23, 26), hold(company, uuid4(), 18, 23)):
            await uow.holds(company).add(subject)
        await uow.holds(other).add(hold(other, venue, 18, 23))
        await uow.commit()
    window = Interval(DAY + timedelta(hours=20), DAY + timedelta(hours=23))
    async with uow:
        found = await uow.holds(company).overlapping(window, venue_id=venue)
        assert [(h.period.starts_at.hour, h.period.ends_at.hour) for h in found] == [(18, 23)]
        assert len(await uow.holds(company).overlapping(window)) == 2
        assert (await uow.holds(other).find(PageRequest(), venue_id=venue)).total == 1
        assert (await uow.holds(company).find(PageRequest(), hold_type=HoldType.FIRST)).total == 0


async def test_another_companys_hold_is_absent(factory: async_sessionmaker[AsyncSession]) -> None:
    company, other = uuid4(), uuid4()
    stored = hold(company, uuid4(), 18, 23)
    uow = SqlVenueUnitOfWork(factory)
    async with uow:
        await uow.holds(company).add(stored)
        await uow.commit()
    async with uow:
        assert await uow.holds(company).get(stored.id) == stored
        assert await uow.holds(other).get(stored.id) is None
        assert await uow.holds(other).delete(stored.id) is False


async def test_concurrent_confirmations_of_one_slot_let_exactly_one_through(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    company, venue = uuid4(), uuid4()

    async def confirm() -> str:
        handler = CreateHoldHandler(SqlVenueUnitOfWork(factory), FakeClock(), FakeIds())
        try:
            await handler(CreateHold(company, venue, DAY + timedelta(hours=18), DAY + timedelta(hours=23), "confirmed"))
        except HoldConflict:
            return "conflict"
        return "stored"

    results = await asyncio.gather(*(confirm() for _ in range(5)))
    assert sorted(results) == ["conflict"] * 4 + ["stored"]


async def test_migrations_go_down_and_up_on_postgres(engine_for: EngineForRole) -> None:
    await assert_round_trip(await engine_for("venue"), "venue", {"venue_holds"})


async def test_migrations_go_down_and_up_on_sqlite(tmp_path: Path) -> None:
    await assert_sqlite_round_trip(tmp_path, "venue", {"venue_holds"})
