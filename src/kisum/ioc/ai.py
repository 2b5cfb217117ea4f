"""Providers of the ai backend: the suggestion provider, its unit of work and use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.persistence.ai.uow import SqlAiUnitOfWork
from kisum.adapters.suggestions.templates import TemplateSuggestionProvider
from kisum.application.business.ai.commands import RequestSuggestionsHandler
from kisum.application.business.ai.ports import AiUnitOfWork, SuggestionProvider
from kisum.application.business.ai.queries import GetSuggestionHandler, ListSuggestionsHandler


class AiProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def suggestion_provider(self) -> SuggestionProvider:
        return TemplateSuggestionProvider()

    @provide
    async def uow(self, session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AiUnitOfWork]:
        uow = SqlAiUnitOfWork(session_factory)
        try:
            yield uow
        finally:  # never commits: only a handler's explicit commit() is durable
            await uow.close()

    request = provide(RequestSuggestionsHandler)
    get_one = provide(GetSuggestionHandler)
    list_many = provide(ListSuggestionsHandler)
