"""The venue unit of work: one session; repositories are handed out per company."""

from __future__ import annotations

from uuid import UUID

from kisum.adapters.persistence.uow import SqlUnitOfWork
from kisum.adapters.persistence.venue.repositories import SqlHoldRepository


class SqlVenueUnitOfWork(SqlUnitOfWork):
    def holds(self, company_id: UUID) -> SqlHoldRepository:
        return SqlHoldRepository(self.session, company_id)
