"""The Base module's unit of work: repositories are handed out per company, never without one."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.persistence.basic.notifications import SqlAccountingOutbox, SqlNotificationRepository
from kisum.adapters.persistence.basic.repositories import (
    RESOURCE_TABLES,
    SqlCompanyProfileRepository,
    SqlRecordRepository,
    View,
)
from kisum.adapters.persistence.uow import SqlUnitOfWork
from kisum.domain.business.records import ResourceKind


class SqlBasicUnitOfWork(SqlUnitOfWork):
    """``views`` (per kind) is what a list item becomes; without one, the domain record."""

    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], views: Mapping[ResourceKind, View] | None = None
    ) -> None:
        super().__init__(session_factory)
        self._views = views or {}

    def records(self, kind: ResourceKind, company_id: UUID) -> SqlRecordRepository:
        return SqlRecordRepository(self.session, company_id, RESOURCE_TABLES[kind], self._views.get(kind))

    def profiles(self, company_id: UUID) -> SqlCompanyProfileRepository:
        return SqlCompanyProfileRepository(self.session, company_id)

    def notifications(self, company_id: UUID) -> SqlNotificationRepository:
        return SqlNotificationRepository(self.session, company_id)

    def accounting(self, company_id: UUID) -> SqlAccountingOutbox:
        return SqlAccountingOutbox(self.session, company_id)
