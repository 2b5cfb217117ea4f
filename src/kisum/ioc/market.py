"""The market backend's composition root: its providers (unit of work, use cases) and ``create_app``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import Provider, Scope, provide
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.http.market.app import BACKEND
from kisum.adapters.persistence.market.uow import SqlMarketUnitOfWork
from kisum.application.business.market.commands import (
    CreateCampaignHandler,
    DeleteCampaignHandler,
    UpdateCampaignHandler,
)
from kisum.application.business.market.ports import MarketUnitOfWork
from kisum.application.business.market.queries import GetCampaignHandler, ListCampaignsHandler
from kisum.config import Settings
from kisum.ioc.business import create_business_app


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


def create_app(settings: Settings | None = None, *, auth_http: httpx.AsyncClient | None = None) -> Litestar:
    """The market backend's app (``kisum serve market``); ``auth_http`` reaches auth in tests."""
    return create_business_app(BACKEND, settings, providers=[MarketProvider()], auth_http=auth_http)
