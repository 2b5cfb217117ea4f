"""The finance unit of work: one session; repositories are handed out per company."""

from __future__ import annotations

from uuid import UUID

from kisum.adapters.persistence.finance.repositories import SqlBudgetLineRepository
from kisum.adapters.persistence.uow import SqlUnitOfWork


class SqlFinanceUnitOfWork(SqlUnitOfWork):
    def budget_lines(self, company_id: UUID) -> SqlBudgetLineRepository:
        return SqlBudgetLineRepository(self.session, company_id)
