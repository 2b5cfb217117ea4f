"""Market commands and their handlers: load, apply the domain rule, commit once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from kisum.application.business.market.ports import MarketUnitOfWork
from kisum.application.ports import Clock, IdGenerator
from kisum.domain.business.market import Campaign, CampaignNotFound
from kisum.domain.business.shared import KEEP, Keep


@dataclass(frozen=True, slots=True)
class CreateCampaign:
    company_id: UUID
    event_id: UUID
    name: str
    channel: str
    starts_at: datetime
    ends_at: datetime
    budget_minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class UpdateCampaign:
    company_id: UUID
    campaign_id: UUID
    event_id: UUID | Keep = KEEP
    name: str | Keep = KEEP
    channel: str | Keep = KEEP
    status: str | Keep = KEEP
    starts_at: datetime | Keep = KEEP
    ends_at: datetime | Keep = KEEP
    budget_minor: int | Keep = KEEP
    currency: str | Keep = KEEP


@dataclass(frozen=True, slots=True)
class DeleteCampaign:
    company_id: UUID
    campaign_id: UUID


class CreateCampaignHandler:
    def __init__(self, uow: MarketUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids

    async def __call__(self, command: CreateCampaign) -> Campaign:
        campaign = Campaign.create(
            id=self._ids.new_id(),
            company_id=command.company_id,
            event_id=command.event_id,
            name=command.name,
            channel=command.channel,
            starts_at=command.starts_at,
            ends_at=command.ends_at,
            budget_minor=command.budget_minor,
            currency=command.currency,
            now=self._clock.now(),
        )
        async with self._uow as uow:
            await uow.campaigns(command.company_id).add(campaign)
            await uow.commit()
        return campaign


class UpdateCampaignHandler:
    def __init__(self, uow: MarketUnitOfWork, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def __call__(self, command: UpdateCampaign) -> Campaign:
        async with self._uow as uow:
            campaigns = uow.campaigns(command.company_id)
            campaign = await campaigns.get(command.campaign_id, for_update=True)
            if campaign is None:
                raise CampaignNotFound(f"campaign {command.campaign_id} does not exist")
            campaign.revise(
                now=self._clock.now(),
                event_id=command.event_id,
                name=command.name,
                channel=command.channel,
                status=command.status,
                starts_at=command.starts_at,
                ends_at=command.ends_at,
                budget_minor=command.budget_minor,
                currency=command.currency,
            )
            await campaigns.save(campaign)
            await uow.commit()
        return campaign


class DeleteCampaignHandler:
    def __init__(self, uow: MarketUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, command: DeleteCampaign) -> None:
        async with self._uow as uow:
            if not await uow.campaigns(command.company_id).delete(command.campaign_id):
                raise CampaignNotFound(f"campaign {command.campaign_id} does not exist")
            await uow.commit()
