"""The ai unit of work: one session; repositories are handed out per company."""

from __future__ import annotations

from uuid import UUID

from kisum.adapters.persistence.ai.repositories import SqlSuggestionRepository
from kisum.adapters.persistence.uow import SqlUnitOfWork


class SqlAiUnitOfWork(SqlUnitOfWork):
    def suggestions(self, company_id: UUID) -> SqlSuggestionRepository:
        return SqlSuggestionRepository(self.session, company_id)
