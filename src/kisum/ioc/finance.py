"""Providers of the finance backend: its unit of work and use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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
