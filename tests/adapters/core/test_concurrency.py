"""Two changes to the same company at once: each gets its own entitlement version."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.persistence.core.uow import SqlCoreUnitOfWork
from kisum.adapters.persistence.database import create_session_factory
from kisum.application.core.commands import ActivateAddon, ApproveCompany, CreateCompany
from kisum.application.core.handlers import ActivateAddonHandler, ApproveCompanyHandler, CreateCompanyHandler
from kisum.domain.core.company import EntitlementsChanged
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class Ids:
    def new_id(self) -> uuid.UUID:
        return uuid.uuid4()


class CollectingNotifier:
    def __init__(self) -> None:
        self.events: list[EntitlementsChanged] = []

    async def notify(self, events: Sequence[EntitlementsChanged]) -> None:
        self.events.extend(events)


class SlowUnitOfWork(SqlCoreUnitOfWork):
    """Holds the transaction open a moment before committing, so the two really overlap."""

    async def commit(self) -> None:
        await asyncio.sleep(0.2)
        await super().commit()


async def test_concurrent_activations_get_distinct_consecutive_versions(engine_for: EngineForRole) -> None:
    engine: AsyncEngine = await engine_for("core")
    sessions = create_session_factory(engine)
    clock, notifier = SystemClock(), CollectingNotifier()
    async with SqlCoreUnitOfWork(sessions) as uow:
        company = await CreateCompanyHandler(uow, clock, Ids())(CreateCompany(name="Race"))
    async with SqlCoreUnitOfWork(sessions) as uow:
        await ApproveCompanyHandler(uow, clock, notifier)(ApproveCompany(company.id))

    async def activate(addon: str) -> int:
        async with SlowUnitOfWork(sessions) as uow:
            view = await ActivateAddonHandler(uow, clock, notifier)(ActivateAddon(company.id, addon))
            return view.entitlement_version

    versions = await asyncio.gather(activate("finance"), activate("market"), activate("ai"))

    assert sorted(versions) == [2, 3, 4]
    async with engine.connect() as connection:
        stored = await connection.scalar(
            text("SELECT entitlement_version FROM companies WHERE id = :id"), {"id": company.id}
        )
        outbox = await connection.execute(
            text("SELECT entitlement_version FROM outbox_events WHERE company_id = :id ORDER BY 1"),
            {"id": company.id},
        )
        addons = await connection.execute(
            text("SELECT addon_key FROM company_addons WHERE company_id = :id ORDER BY 1"), {"id": company.id}
        )
    assert stored == 4
    assert [row[0] for row in outbox] == [1, 2, 3, 4]
    assert [row[0] for row in addons] == ["ai", "finance", "market"]
    assert sorted(e.entitlement_version for e in notifier.events) == [1, 2, 3, 4]
