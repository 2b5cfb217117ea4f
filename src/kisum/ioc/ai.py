"""The ai backend's composition root: its providers (suggestions, unit of work, use cases) and ``create_app``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import Provider, Scope, provide
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.http.ai.app import BACKEND
from kisum.adapters.persistence.ai.uow import SqlAiUnitOfWork
from kisum.adapters.suggestions.templates import TemplateSuggestionProvider
from kisum.application.business.ai.commands import RequestSuggestionsHandler
from kisum.application.business.ai.ports import AiUnitOfWork, SuggestionProvider
from kisum.application.business.ai.queries import GetSuggestionHandler, ListSuggestionsHandler
from kisum.config import Settings
from kisum.ioc.business import create_business_app


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


def create_app(settings: Settings | None = None, *, auth_http: httpx.AsyncClient | None = None) -> Litestar:
    """The ai backend's app (``kisum serve ai``); ``auth_http`` reaches auth in tests."""
    return create_business_app(BACKEND, settings, providers=[AiProvider()], auth_http=auth_http)
