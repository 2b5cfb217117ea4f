"""Providers of the touring backend: its unit of work and use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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
