"""The touring unit of work: one session; repositories are handed out per company."""

from __future__ import annotations

from uuid import UUID

from kisum.adapters.persistence.touring.repositories import SqlTourRepository
from kisum.adapters.persistence.uow import SqlUnitOfWork


class SqlTouringUnitOfWork(SqlUnitOfWork):
    def tours(self, company_id: UUID) -> SqlTourRepository:
        return SqlTourRepository(self.session, company_id)
