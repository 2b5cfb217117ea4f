"""The finance backend's composition root: its providers (unit of work, use cases) and ``create_app``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import Provider, Scope, provide
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.http.finance.app import BACKEND
from kisum.adapters.persistence.finance.uow import SqlFinanceUnitOfWork
from kisum.application.business.finance.commands import (
    CreateBudgetLineHandler,
    DeleteBudgetLineHandler,
    UpdateBudgetLineHandler,
)
from kisum.application.business.finance.ports import FinanceUnitOfWork
from kisum.application.business.finance.queries import (
    GetBudgetLineHandler,
    GetSettlementHandler,
    ListBudgetLinesHandler,
)
from kisum.config import Settings
from kisum.ioc.business import create_business_app


class FinanceProvider(Provider):
    scope = Scope.REQUEST

    @provide
    async def uow(self, session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[FinanceUnitOfWork]:
        uow = SqlFinanceUnitOfWork(session_factory)
        try:
            yield uow
        finally:  # never commits: only a handler's explicit commit() is durable
            await uow.close()

    create = provide(CreateBudgetLineHandler)
    update = provide(UpdateBudgetLineHandler)
    remove = provide(DeleteBudgetLineHandler)
    get_one = provide(GetBudgetLineHandler)
    list_many = provide(ListBudgetLinesHandler)
    settlement = provide(GetSettlementHandler)


def create_app(settings: Settings | None = None, *, auth_http: httpx.AsyncClient | None = None) -> Litestar:
    """The finance backend's app (``kisum serve finance``); ``auth_http`` reaches auth in tests."""
    return create_business_app(BACKEND, settings, providers=[FinanceProvider()], auth_http=auth_http)
