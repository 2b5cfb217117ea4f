"""Providers every role shares: settings, clock, ids, and the role's database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import UUID, uuid4

from dishka import Provider, Scope, from_context, provide
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from kisum.adapters.persistence.database import create_engine, create_session_factory
from kisum.application.ports import Clock, IdGenerator
from kisum.config import Role, Settings


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class UuidGenerator:
    def new_id(self) -> UUID:
        return uuid4()


class SettingsProvider(Provider):
    settings = from_context(Settings, scope=Scope.APP)


class SystemProvider(Provider):
    scope = Scope.APP

    @provide
    def clock(self) -> Clock:
        return SystemClock()

    @provide
    def ids(self) -> IdGenerator:
        return UuidGenerator()


class DatabaseProvider(Provider):
    """The role's engine (disposed when the container closes) and its session factory."""

    scope = Scope.APP

    def __init__(self, role: Role) -> None:
        super().__init__()
        self.role = role

    @provide
    async def engine(self, settings: Settings) -> AsyncIterator[AsyncEngine]:
        engine = create_engine(settings.database_url_of(self.role), self.role.value)
        yield engine
        await engine.dispose()

    @provide
    def session_factory(self, engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
        return create_session_factory(engine)
