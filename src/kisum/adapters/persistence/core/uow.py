"""Core's Unit of Work: one session, core's repositories on it, commit only on request."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.persistence.core.repositories import (
    SqlAddonRepository,
    SqlCompanyRepository,
    SqlModuleRepository,
    SqlOutbox,
    SqlPackageRepository,
)
from kisum.adapters.persistence.uow import SqlUnitOfWork


class SqlCoreUnitOfWork(SqlUnitOfWork):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(session_factory)
        self._modules: SqlModuleRepository | None = None
        self._packages: SqlPackageRepository | None = None
        self._addons: SqlAddonRepository | None = None
        self._companies: SqlCompanyRepository | None = None
        self._outbox: SqlOutbox | None = None

    @property
    def modules(self) -> SqlModuleRepository:
        if self._modules is None:
            self._modules = SqlModuleRepository(self.session)
        return self._modules

    @property
    def packages(self) -> SqlPackageRepository:
        if self._packages is None:
            self._packages = SqlPackageRepository(self.session)
        return self._packages

    @property
    def addons(self) -> SqlAddonRepository:
        if self._addons is None:
            self._addons = SqlAddonRepository(self.session)
        return self._addons

    @property
    def companies(self) -> SqlCompanyRepository:
        if self._companies is None:
            self._companies = SqlCompanyRepository(self.session)
        return self._companies

    @property
    def outbox(self) -> SqlOutbox:
        if self._outbox is None:
            self._outbox = SqlOutbox(self.session)
        return self._outbox

    async def close(self) -> None:
        await super().close()
        self._modules = self._packages = self._addons = None
        self._companies = None
        self._outbox = None


CoreUnitOfWork = SqlCoreUnitOfWork
"""The name the issue uses for core's Unit of Work."""
