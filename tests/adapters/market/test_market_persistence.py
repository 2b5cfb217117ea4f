"""Market persistence on the real PostgreSQL: tenant scoping, filters, constraints, migrations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy.exc import IntegrityError

from kisum.adapters.persistence.database import create_session_factory
from kisum.adapters.persistence.market.uow import SqlMarketUnitOfWork
from kisum.domain.business.market import Campaign, CampaignStatus
from kisum.domain.intervals import Interval
from kisum.domain.paging import PageRequest
from tests.adapters.module_migrations import assert_round_trip, assert_sqlite_round_trip
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def campaign(company: UUID, days_from_now: int = 10) -> Campaign:
    start = NOW + timedelta(days=days_from_now)
    return Campaign.create(
        id=uuid4(),
        company_id=company,
        event_id=uuid4(),
        name="Launch",
        channel="email",
        starts_at=start,
        ends_at=start + timedelta(days=7),
        budget_minor=10_000,
        currency="EUR",
        now=NOW,
    )


@pytest.fixture
async def uow(engine_for: EngineForRole) -> SqlMarketUnitOfWork:
    return SqlMarketUnitOfWork(create_session_factory(await engine_for("market")))


async def test_a_campaign_round_trips_and_is_invisible_to_other_companies(uow: SqlMarketUnitOfWork) -> None:
    company, other = uuid4(), uuid4()
    stored = campaign(company)
    async with uow:
        await uow.campaigns(company).add(stored)
        await uow.commit()
    async with uow:
        assert await uow.campaigns(company).get(stored.id) == stored
        assert await uow.campaigns(other).get(stored.id) is None
        assert await uow.campaigns(other).delete(stored.id) is False
        assert (await uow.campaigns(other).find(PageRequest())).total == 0


async def test_status_changes_are_saved_and_filterable(uow: SqlMarketUnitOfWork) -> None:
    company = uuid4()
    first, second = campaign(company, 20), campaign(company, 5)
    async with uow:
        await uow.campaigns(company).add(first)
        await uow.campaigns(company).add(second)
        await uow.commit()
    async with uow:
        loaded = await uow.campaigns(company).get(first.id, for_update=True)
        assert loaded is not None
        loaded.move_to(CampaignStatus.SCHEDULED)
        await uow.campaigns(company).save(loaded)
        await uow.commit()
    async with uow:
        scheduled = await uow.campaigns(company).find(PageRequest(), status=CampaignStatus.SCHEDULED)
        assert [item.id for item in scheduled.items] == [first.id]
        everything = await uow.campaigns(company).find(PageRequest())
        assert [item.id for item in everything.items] == [second.id, first.id]  # by start


def _unchecked_interval(starts_at: datetime, ends_at: datetime) -> Interval[datetime]:
    interval: Interval[datetime] = object.__new__(Interval)
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at), ("includes_end", True)):
        object.__setattr__(interval, name, value)
    return interval


async def test_the_database_refuses_a_period_that_ends_before_it_starts(uow: SqlMarketUnitOfWork) -> None:
    company = uuid4()
    bad = campaign(company)
    bad.period = _unchecked_interval(NOW, NOW - timedelta(days=1))  # past the domain's rule, to reach the table's
    async with uow:
        with pytest.raises(IntegrityError):
            await uow.campaigns(company).add(bad)


async def test_migrations_go_down_and_up_on_postgres(engine_for: EngineForRole) -> None:
    await assert_round_trip(await engine_for("market"), "market", {"campaigns"})


async def test_migrations_go_down_and_up_on_sqlite(tmp_path: Path) -> None:
    await assert_sqlite_round_trip(tmp_path, "market", {"campaigns"})
