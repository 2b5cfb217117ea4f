"""Routes of the market backend (served under ``/api``); each declares its permission beside it."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, post, put
from litestar.params import JSONBody, QueryParameter

from kisum.adapters.http.common.enforcement import Access, requires
from kisum.adapters.http.common.params import PageLimit, PageNumber, PathId
from kisum.adapters.http.market import schemas as s
from kisum.application.business.market.commands import (
    CreateCampaign,
    CreateCampaignHandler,
    DeleteCampaign,
    DeleteCampaignHandler,
    UpdateCampaign,
    UpdateCampaignHandler,
)
from kisum.application.business.market.queries import (
    GetCampaign,
    GetCampaignHandler,
    ListCampaigns,
    ListCampaignsHandler,
)
from kisum.domain.business.market import CampaignStatus
from kisum.domain.paging import PageRequest

VIEW = requires("market.campaign.view", "See marketing campaigns")
CREATE = requires("market.campaign.create", "Create marketing campaigns")
EDIT = requires("market.campaign.edit", "Edit marketing campaigns and move their status")
DELETE = requires("market.campaign.delete", "Delete marketing campaigns")


class CampaignController(Controller):
    path = "/market/campaigns"
    tags = ["market"]

    @get("/", opt=VIEW)
    async def list_campaigns(
        self,
        access: Access,
        handler: FromDishka[ListCampaignsHandler],
        page: PageNumber = 1,
        limit: PageLimit = 20,
        event_id: Annotated[UUID | None, QueryParameter(name="eventId")] = None,
        status: Annotated[CampaignStatus | None, QueryParameter()] = None,
    ) -> s.CampaignPage:
        result = await handler(ListCampaigns(access.company_id, PageRequest(page, limit), event_id, status))
        items = [s.CampaignOut.of(campaign) for campaign in result.items]
        return s.CampaignPage(items=items, page=result.page, limit=result.limit, total=result.total)

    @get("/{campaign_id:uuid}", opt=VIEW)
    async def get_campaign(
        self, access: Access, handler: FromDishka[GetCampaignHandler], campaign_id: PathId
    ) -> s.CampaignOut:
        return s.CampaignOut.of(await handler(GetCampaign(access.company_id, campaign_id)))

    @post("/", opt=CREATE)
    async def create_campaign(
        self, access: Access, handler: FromDishka[CreateCampaignHandler], data: JSONBody[s.CampaignBody]
    ) -> s.CampaignOut:
        campaign = await handler(
            CreateCampaign(
                company_id=access.company_id,
                event_id=data.event_id,
                name=data.name,
                channel=data.channel,
                starts_at=data.starts_at,
                ends_at=data.ends_at,
                budget_minor=data.budget_minor,
                currency=data.currency,
            )
        )
        return s.CampaignOut.of(campaign)

    @put("/{campaign_id:uuid}", opt=EDIT)
    async def update_campaign(
        self,
        access: Access,
        handler: FromDishka[UpdateCampaignHandler],
        campaign_id: PathId,
        data: JSONBody[s.CampaignChangesBody],
    ) -> s.CampaignOut:
        campaign = await handler(
            UpdateCampaign(
                company_id=access.company_id,
                campaign_id=campaign_id,
                event_id=s.keep(data.event_id),
                name=s.keep(data.name),
                channel=s.keep(data.channel),
                status=s.keep(data.status),
                starts_at=s.keep(data.starts_at),
                ends_at=s.keep(data.ends_at),
                budget_minor=s.keep(data.budget_minor),
                currency=s.keep(data.currency),
            )
        )
        return s.CampaignOut.of(campaign)

    @delete("/{campaign_id:uuid}", opt=DELETE)
    async def delete_campaign(
        self, access: Access, handler: FromDishka[DeleteCampaignHandler], campaign_id: PathId
    ) -> None:
        await handler(DeleteCampaign(access.company_id, campaign_id))


ROUTE_HANDLERS = [CampaignController]
