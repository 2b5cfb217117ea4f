"""Providers of the market backend: its unit of work and use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.persistence.market.uow import SqlMarketUnitOfWork
from kisum.application.business.market.commands import (
    CreateCampaignHandler,
    DeleteCampaignHandler,
    UpdateCampaignHandler,
)
from kisum.application.business.market.ports import MarketUnitOfWork
from kisum.application.business.market.queries import GetCampaignHandler, ListCampaignsHandler


class MarketProvider(Provider):
    scope = Scope.REQUEST

    @provide
    async def uow(self, session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[MarketUnitOfWork]:
        uow = SqlMarketUnitOfWork(session_factory)
        try:
            yield uow
        finally:  # never commits: only a handler's explicit commit() is durable
            await uow.close()

    create = provide(CreateCampaignHandler)
    update = provide(UpdateCampaignHandler)
    remove = provide(DeleteCampaignHandler)
    get_one = provide(GetCampaignHandler)
    list_many = provide(ListCampaignsHandler)
