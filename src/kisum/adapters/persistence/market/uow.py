"""The market unit of work: one session; repositories are handed out per company."""

from __future__ import annotations

from uuid import UUID

from kisum.adapters.persistence.market.repositories import SqlCampaignRepository
from kisum.adapters.persistence.uow import SqlUnitOfWork


class SqlMarketUnitOfWork(SqlUnitOfWork):
    def campaigns(self, company_id: UUID) -> SqlCampaignRepository:
        return SqlCampaignRepository(self.session, company_id)
