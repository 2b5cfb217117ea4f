"""The Base module's unit of work: repositories are handed out per company, never without one.

``views`` (per kind) is what a list item becomes (without one, the domain record); ``reader``
serves the lists of a read-only block on PostgreSQL, with no session at all."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.persistence.basic.booking import SqlBookingRepository
from kisum.adapters.persistence.basic.notifications import SqlAccountingOutbox, SqlNotificationRepository
from kisum.adapters.persistence.basic.repositories import (
    RESOURCE_TABLES,
    SqlCompanyProfileRepository,
    SqlRecordRepository,
    View,
)
from kisum.adapters.persistence.read_pool import ReadPool
from kisum.adapters.persistence.uow import SqlUnitOfWork
from kisum.domain.business.records import ResourceKind


class SqlBasicUnitOfWork(SqlUnitOfWork):
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        views: Mapping[ResourceKind, View] | None = None,
        reader: ReadPool | None = None,
    ) -> None:
        super().__init__(session_factory)
        self._views = views or {}
        self._reader = reader

    def records(self, kind: ResourceKind, company_id: UUID) -> SqlRecordRepository:
        """A read-only block's lists go to the read pool (when there is one), the rest to the session."""
        reader = self._reader if self.is_reading else None
        return SqlRecordRepository(self, company_id, RESOURCE_TABLES[kind], self._views.get(kind), reader)

    def profiles(self, company_id: UUID) -> SqlCompanyProfileRepository:
        return SqlCompanyProfileRepository(self.session, company_id)

    def booking(self, company_id: UUID) -> SqlBookingRepository:
        return SqlBookingRepository(self.session, company_id)

    def notifications(self, company_id: UUID) -> SqlNotificationRepository:
        return SqlNotificationRepository(self.session, company_id)

    def accounting(self, company_id: UUID) -> SqlAccountingOutbox:
        return SqlAccountingOutbox(self.session, company_id)
