"""Market repositories: every statement is filtered by the company the repository was built for."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from kisum.adapters.persistence.market.tables import CampaignRow
from kisum.adapters.persistence.tenant import TenantRepository
from kisum.domain.business.market import Campaign, CampaignStatus, Channel
from kisum.domain.intervals import Interval
from kisum.domain.paging import Page, PageRequest


def _to_domain(row: CampaignRow) -> Campaign:
    return Campaign(
        id=row.id,
        company_id=row.company_id,
        event_id=row.event_id,
        name=row.name,
        channel=Channel(row.channel),
        status=CampaignStatus(row.status),
        period=Interval(row.starts_at, row.ends_at, includes_end=True),
        budget_minor=row.budget_minor,
        currency=row.currency,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _to_row(campaign: Campaign, row: CampaignRow | None = None) -> CampaignRow:
    row = row or CampaignRow(id=campaign.id, company_id=campaign.company_id)
    row.event_id = campaign.event_id
    row.name = campaign.name
    row.channel = campaign.channel.value
    row.status = campaign.status.value
    row.starts_at = campaign.period.starts_at
    row.ends_at = campaign.period.ends_at
    row.budget_minor = campaign.budget_minor
    row.currency = campaign.currency
    row.created_at = campaign.created_at
    row.updated_at = campaign.updated_at
    return row


class SqlCampaignRepository(TenantRepository[CampaignRow]):
    row_type = CampaignRow
    noun = "campaign"

    async def add(self, campaign: Campaign) -> None:
        self.session.add(self._own(_to_row(campaign)))
        await self.session.flush()

    async def get(self, campaign_id: UUID, *, for_update: bool = False) -> Campaign | None:
        row = await self._find(campaign_id, for_update=for_update)
        return None if row is None else _to_domain(row)

    async def save(self, campaign: Campaign) -> None:
        row = await self._find(campaign.id)
        if row is None:
            raise LookupError(f"campaign {campaign.id} is not stored for this company")
        _to_row(campaign, row)
        await self.session.flush()

    async def delete(self, campaign_id: UUID) -> bool:
        return await self._delete(campaign_id)

    async def find(
        self, page: PageRequest, *, event_id: UUID | None = None, status: CampaignStatus | None = None
    ) -> Page[Campaign]:
        conditions: list[Any] = []
        if event_id is not None:
            conditions.append(CampaignRow.event_id == event_id)
        if status is not None:
            conditions.append(CampaignRow.status == status.value)
        rows, total = await self._page(
            self._scoped().where(*conditions),
            offset=page.offset,
            limit=page.limit,
            order_by=(
                CampaignRow.starts_at,
                CampaignRow.created_at,
                CampaignRow.id,
            ),
        )
        return Page([_to_domain(row) for row in rows], page.page, page.limit, total)
