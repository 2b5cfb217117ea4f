"""The touring backend's composition root: its providers (unit of work, use cases) and ``create_app``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import Provider, Scope, provide
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.http.touring.app import BACKEND
from kisum.adapters.persistence.touring.uow import SqlTouringUnitOfWork
from kisum.application.business.touring.commands import (
    AddLegHandler,
    CreateTourHandler,
    DeleteTourHandler,
    RemoveLegHandler,
    UpdateLegHandler,
    UpdateTourHandler,
)
from kisum.application.business.touring.ports import TouringUnitOfWork
from kisum.application.business.touring.queries import (
    GetLegHandler,
    GetTourHandler,
    ListLegsHandler,
    ListToursHandler,
)
from kisum.config import Settings
from kisum.ioc.business import create_business_app


class TouringProvider(Provider):
    scope = Scope.REQUEST

    @provide
    async def uow(self, session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[TouringUnitOfWork]:
        uow = SqlTouringUnitOfWork(session_factory)
        try:
            yield uow
        finally:  # never commits: only a handler's explicit commit() is durable
            await uow.close()

    create_tour = provide(CreateTourHandler)
    update_tour = provide(UpdateTourHandler)
    delete_tour = provide(DeleteTourHandler)
    get_tour = provide(GetTourHandler)
    list_tours = provide(ListToursHandler)
    add_leg = provide(AddLegHandler)
    update_leg = provide(UpdateLegHandler)
    remove_leg = provide(RemoveLegHandler)
    get_leg = provide(GetLegHandler)
    list_legs = provide(ListLegsHandler)


def create_app(settings: Settings | None = None, *, auth_http: httpx.AsyncClient | None = None) -> Litestar:
    """The touring backend's app (``kisum serve touring``); ``auth_http`` reaches auth in tests."""
    return create_business_app(BACKEND, settings, providers=[TouringProvider()], auth_http=auth_http)
