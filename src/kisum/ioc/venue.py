"""The venue backend's composition root: its providers (unit of work, use cases) and ``create_app``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import Provider, Scope, provide
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.http.venue.app import BACKEND
from kisum.adapters.persistence.venue.uow import SqlVenueUnitOfWork
from kisum.application.business.venue.commands import CreateHoldHandler, DeleteHoldHandler, UpdateHoldHandler
from kisum.application.business.venue.ports import VenueUnitOfWork
from kisum.application.business.venue.queries import GetCalendarHandler, GetHoldHandler, ListHoldsHandler
from kisum.config import Settings
from kisum.ioc.business import create_business_app


class VenueProvider(Provider):
    scope = Scope.REQUEST

    @provide
    async def uow(self, session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[VenueUnitOfWork]:
        uow = SqlVenueUnitOfWork(session_factory)
        try:
            yield uow
        finally:  # never commits: only a handler's explicit commit() is durable
            await uow.close()

    create = provide(CreateHoldHandler)
    update = provide(UpdateHoldHandler)
    remove = provide(DeleteHoldHandler)
    get_one = provide(GetHoldHandler)
    list_many = provide(ListHoldsHandler)
    calendar = provide(GetCalendarHandler)


def create_app(settings: Settings | None = None, *, auth_http: httpx.AsyncClient | None = None) -> Litestar:
    """The venue backend's app (``kisum serve venue``); ``auth_http`` reaches auth in tests."""
    return create_business_app(BACKEND, settings, providers=[VenueProvider()], auth_http=auth_http)
