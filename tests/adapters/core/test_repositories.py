"""Core's repositories against the real PostgreSQL, schema built by the migrations."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.persistence.core.uow import SqlCoreUnitOfWork
from kisum.adapters.persistence.database import create_session_factory
from kisum.domain.core.catalog import Addon, Module, Package
from kisum.domain.core.company import Company, CompanyStatus
from kisum.domain.core.errors import ConcurrentUpdate, DuplicateKey, InUse, UnknownModule
from kisum.domain.core.subscriptions import SubscriptionStatus, Window
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres

NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)


@pytest.fixture
async def engine(engine_for: EngineForRole) -> AsyncEngine:
    return await engine_for("core")


@pytest.fixture
async def uow(engine: AsyncEngine) -> AsyncIterator[SqlCoreUnitOfWork]:
    async with SqlCoreUnitOfWork(create_session_factory(engine)) as unit:
        yield unit


def fresh_uow(engine: AsyncEngine) -> SqlCoreUnitOfWork:
    return SqlCoreUnitOfWork(create_session_factory(engine))


async def _approved_company(engine: AsyncEngine) -> Company:
    company = Company.register(uuid.uuid4(), "Acme", NOW)
    company.approve(NOW)
    company.pull_events()
    async with fresh_uow(engine) as unit:
        await unit.companies.add(company)
        await unit.commit()
    return company


async def test_migrations_seed_the_default_catalog(uow: SqlCoreUnitOfWork) -> None:
    assert await uow.modules.existing_keys({"basic", "finance", "market", "touring", "venue", "ai", "crm"}) == {
        "basic",
        "finance",
        "market",
        "touring",
        "venue",
        "ai",
    }
    basic = await uow.packages.get("basic")
    assert basic is not None
    assert basic.modules == frozenset({"basic"})
    for key in ("finance", "market", "touring", "venue", "ai"):
        addon = await uow.addons.get(key)
        assert addon is not None
        assert addon.modules == frozenset({key})


async def test_module_round_trip(engine: AsyncEngine) -> None:
    async with fresh_uow(engine) as unit:
        await unit.modules.add(Module.create("crm", "CRM", "customers", NOW))
        await unit.commit()
    async with fresh_uow(engine) as unit:
        module = await unit.modules.get("crm")
        assert module == Module("crm", "CRM", "customers", NOW, NOW)


async def test_duplicate_module_key_is_translated(uow: SqlCoreUnitOfWork) -> None:
    with pytest.raises(DuplicateKey) as raised:
        await uow.modules.add(Module.create("finance", None, None, NOW))
    assert raised.value.code == "MODULE_EXISTS"


async def test_duplicate_addon_key_is_translated(uow: SqlCoreUnitOfWork) -> None:
    with pytest.raises(DuplicateKey) as raised:
        await uow.addons.add(Addon.create("finance", None, None, ["finance"], NOW))
    assert raised.value.code == "ADDON_EXISTS"


async def test_package_with_unknown_module_is_translated(uow: SqlCoreUnitOfWork) -> None:
    with pytest.raises(UnknownModule):
        await uow.packages.add(Package.create("gold", None, None, ["basic", "nope"], NOW))


async def test_deleting_a_mapped_module_is_translated(uow: SqlCoreUnitOfWork) -> None:
    assert await uow.modules.is_in_use("finance")
    with pytest.raises(InUse) as raised:
        await uow.modules.delete("finance")
    assert raised.value.code == "MODULE_IN_USE"


async def test_package_modules_are_replaced_on_save(engine: AsyncEngine) -> None:
    async with fresh_uow(engine) as unit:
        package = await unit.packages.get("basic")
        assert package is not None
        package.update(name="Basic+", description=None, clear_description=False, modules=["basic", "ai"], at=NOW)
        await unit.packages.save(package)
        await unit.commit()
    async with fresh_uow(engine) as unit:
        assert await unit.packages.modules_of({"basic"}) == {"basic": frozenset({"basic", "ai"})}
        stored = await unit.packages.get("basic")
        assert stored is not None
        assert stored.name == "Basic+"


async def test_uncommitted_work_is_rolled_back(engine: AsyncEngine) -> None:
    async with fresh_uow(engine) as unit:
        await unit.modules.add(Module.create("crm", None, None, NOW))
    async with fresh_uow(engine) as unit:
        assert await unit.modules.get("crm") is None


async def test_company_aggregate_round_trip_with_subscriptions(engine: AsyncEngine) -> None:
    company = await _approved_company(engine)
    ends = NOW + timedelta(days=30)
    async with fresh_uow(engine) as unit:
        loaded = await unit.companies.get(company.id, for_update=True)
        assert loaded is not None
        loaded.activate_basic("basic", SubscriptionStatus.TRIALING, Window(NOW, ends), NOW)
        loaded.activate_addon("finance", SubscriptionStatus.ACTIVE, Window(), NOW)
        await unit.companies.save(loaded)
        for event in loaded.pull_events():
            await unit.outbox.add(event)
        await unit.commit()
    async with fresh_uow(engine) as unit:
        stored = await unit.companies.get(company.id)
        assert stored is not None
        assert stored.status is CompanyStatus.APPROVED
        assert stored.entitlement_version == 3
        assert stored.basic is not None
        assert stored.basic.terms.status is SubscriptionStatus.TRIALING
        assert stored.basic.terms.window == Window(NOW, ends)
        assert set(stored.addons) == {"finance"}
        assert await unit.packages.is_subscribed("basic")
        assert await unit.addons.is_subscribed("finance")
        assert not await unit.addons.is_subscribed("market")
        assert list(await unit.companies.ids_entitled_by_package("basic")) == [company.id]
        assert list(await unit.companies.ids_entitled_by_addon("finance")) == [company.id]
        rows = await unit.session.execute(
            text("SELECT entitlement_version FROM outbox_events WHERE company_id = :id ORDER BY 1"),
            {"id": company.id},
        )
        assert [row[0] for row in rows] == [2, 3]


async def test_deleting_a_subscribed_addon_is_translated(engine: AsyncEngine) -> None:
    company = await _approved_company(engine)
    async with fresh_uow(engine) as unit:
        loaded = await unit.companies.get(company.id, for_update=True)
        assert loaded is not None
        loaded.activate_addon("market", SubscriptionStatus.ACTIVE, Window(), NOW)
        await unit.companies.save(loaded)
        await unit.commit()
    async with fresh_uow(engine) as unit:
        with pytest.raises(InUse) as raised:
            await unit.addons.delete("market")
        assert raised.value.code == "ADDON_IN_USE"


async def test_save_over_a_moved_version_is_a_concurrent_update(engine: AsyncEngine) -> None:
    company = await _approved_company(engine)
    async with fresh_uow(engine) as first:
        stale = await first.companies.get(company.id)
        assert stale is not None
        async with fresh_uow(engine) as second:
            fresh = await second.companies.get(company.id, for_update=True)
            assert fresh is not None
            fresh.suspend(NOW)
            await second.companies.save(fresh)
            await second.commit()
        stale.activate_addon("ai", SubscriptionStatus.ACTIVE, Window(), NOW)
        with pytest.raises(ConcurrentUpdate):
            await first.companies.save(stale)
