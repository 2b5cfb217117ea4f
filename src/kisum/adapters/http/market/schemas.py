"""Bodies (``…Body``) and answers (``…Out``) of the market API, camelCase on the wire.

PUT bodies take only the fields to change (absent = keep). ``status`` moves the campaign along
its life cycle (draft → scheduled → running → finished; scheduled → draft).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeVar
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from kisum.adapters.http.common.schemas import Body, Out
from kisum.domain.business.market import Campaign, CampaignStatus, Channel
from kisum.domain.business.shared import KEEP, Keep

T = TypeVar("T")
Aware = Annotated[datetime, msgspec.Meta(tz=True)]


def keep(value: T | UnsetType) -> T | Keep:
    return KEEP if isinstance(value, UnsetType) else value


class CampaignBody(Body):
    event_id: UUID
    name: str
    channel: Channel
    starts_at: Aware
    ends_at: Aware
    budget_minor: int
    currency: str


class CampaignChangesBody(Body):
    event_id: UUID | UnsetType = UNSET
    name: str | UnsetType = UNSET
    channel: Channel | UnsetType = UNSET
    status: CampaignStatus | UnsetType = UNSET
    starts_at: Aware | UnsetType = UNSET
    ends_at: Aware | UnsetType = UNSET
    budget_minor: int | UnsetType = UNSET
    currency: str | UnsetType = UNSET


class CampaignOut(Out):
    id: UUID
    event_id: UUID
    name: str
    channel: Channel
    status: CampaignStatus
    starts_at: datetime
    ends_at: datetime
    budget_minor: int
    currency: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, campaign: Campaign) -> CampaignOut:
        return cls(
            id=campaign.id,
            event_id=campaign.event_id,
            name=campaign.name,
            channel=campaign.channel,
            status=campaign.status,
            starts_at=campaign.period.starts_at,
            ends_at=campaign.period.ends_at,
            budget_minor=campaign.budget_minor,
            currency=campaign.currency,
            created_at=campaign.created_at,
            updated_at=campaign.updated_at,
        )


class CampaignPage(Out):
    items: list[CampaignOut]
    page: int
    limit: int
    total: int
