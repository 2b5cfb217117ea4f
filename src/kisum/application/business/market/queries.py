"""Market queries: read straight from the company's repository."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from kisum.application.business.market.ports import MarketUnitOfWork
from kisum.domain.business.market import Campaign, CampaignNotFound, CampaignStatus
from kisum.domain.paging import Page, PageRequest


@dataclass(frozen=True, slots=True)
class GetCampaign:
    company_id: UUID
    campaign_id: UUID


@dataclass(frozen=True, slots=True)
class ListCampaigns:
    company_id: UUID
    page: PageRequest = field(default_factory=PageRequest)
    event_id: UUID | None = None
    status: CampaignStatus | None = None


class GetCampaignHandler:
    def __init__(self, uow: MarketUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: GetCampaign) -> Campaign:
        async with self._uow as uow:
            campaign = await uow.campaigns(query.company_id).get(query.campaign_id)
        if campaign is None:
            raise CampaignNotFound(f"campaign {query.campaign_id} does not exist")
        return campaign


class ListCampaignsHandler:
    def __init__(self, uow: MarketUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: ListCampaigns) -> Page[Campaign]:
        async with self._uow as uow:
            return await uow.campaigns(query.company_id).find(query.page, event_id=query.event_id, status=query.status)
