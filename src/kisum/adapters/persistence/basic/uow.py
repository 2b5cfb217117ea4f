"""The Base module's unit of work: repositories are handed out per company, never without one."""

from __future__ import annotations

from uuid import UUID

from kisum.adapters.persistence.basic.repositories import REPOSITORIES, SqlCompanyProfileRepository, SqlRecordRepository
from kisum.adapters.persistence.uow import SqlUnitOfWork
from kisum.domain.business.records import ResourceKind


class SqlBasicUnitOfWork(SqlUnitOfWork):
    def records(self, kind: ResourceKind, company_id: UUID) -> SqlRecordRepository:
        return REPOSITORIES[kind](self.session, company_id)

    def profiles(self, company_id: UUID) -> SqlCompanyProfileRepository:
        return SqlCompanyProfileRepository(self.session, company_id)
