"""Providers of the venue backend: its unit of work and use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.persistence.venue.uow import SqlVenueUnitOfWork
from kisum.application.business.venue.commands import CreateHoldHandler, DeleteHoldHandler, UpdateHoldHandler
from kisum.application.business.venue.ports import VenueUnitOfWork
from kisum.application.business.venue.queries import GetCalendarHandler, GetHoldHandler, ListHoldsHandler


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
