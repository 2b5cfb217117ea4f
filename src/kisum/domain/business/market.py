"""Market: promotion campaigns for an event, and the life cycle they go through.

A campaign runs on one channel between ``starts_at`` and ``ends_at`` (``ends_at >= starts_at``)
with a budget in minor units of one currency. Its status moves only along the arrows below;
anything else is a 409 ``ILLEGAL_CAMPAIGN_TRANSITION``. A finished campaign is history: it can
be read or deleted, never edited (409 ``CAMPAIGN_FINISHED``).

    draft ──▶ scheduled ──▶ running ──▶ finished
      ▲           │
      └───────────┘   (unschedule)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final
from uuid import UUID

from kisum.domain.business.shared import (
    KEEP,
    Keep,
    amount_minor,
    changed,
    currency_code,
    parse_enum,
    required_text,
)
from kisum.domain.errors import Conflict, NotFound
from kisum.domain.intervals import Interval

MAX_NAME_LENGTH: Final = 200


class CampaignNotFound(NotFound):
    code = "CAMPAIGN_NOT_FOUND"


class IllegalCampaignTransition(Conflict):
    code = "ILLEGAL_CAMPAIGN_TRANSITION"


class CampaignFinished(Conflict):
    code = "CAMPAIGN_FINISHED"


class Channel(StrEnum):
    EMAIL = "email"
    SOCIAL = "social"
    ADS = "ads"
    PRESS = "press"


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    RUNNING = "running"
    FINISHED = "finished"

    def can_become(self, target: CampaignStatus) -> bool:
        return target is self or target in _TRANSITIONS[self]


_TRANSITIONS: Final[dict[CampaignStatus, frozenset[CampaignStatus]]] = {
    CampaignStatus.DRAFT: frozenset({CampaignStatus.SCHEDULED}),
    CampaignStatus.SCHEDULED: frozenset({CampaignStatus.DRAFT, CampaignStatus.RUNNING}),
    CampaignStatus.RUNNING: frozenset({CampaignStatus.FINISHED}),
    CampaignStatus.FINISHED: frozenset(),
}


def parse_channel(value: str) -> Channel:
    return parse_enum(Channel, value, "channel")


def parse_status(value: str) -> CampaignStatus:
    return parse_enum(CampaignStatus, value, "status")


def campaign_period(starts_at: datetime, ends_at: datetime) -> Interval[datetime]:
    """``[starts_at, ends_at]`` in UTC: a closed interval, so a one-instant campaign is allowed."""
    return Interval.of(starts_at, ends_at, includes_end=True)


@dataclass(slots=True)
class Campaign:
    id: UUID
    company_id: UUID
    event_id: UUID
    name: str
    channel: Channel
    status: CampaignStatus
    period: Interval[datetime]
    budget_minor: int
    currency: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        company_id: UUID,
        event_id: UUID,
        name: str,
        channel: str,
        starts_at: datetime,
        ends_at: datetime,
        budget_minor: int,
        currency: str,
        now: datetime,
    ) -> Campaign:
        """Every campaign starts as a draft."""
        return cls(
            id=id,
            company_id=company_id,
            event_id=event_id,
            name=required_text(name, "name", max_length=MAX_NAME_LENGTH),
            channel=parse_channel(channel),
            status=CampaignStatus.DRAFT,
            period=campaign_period(starts_at, ends_at),
            budget_minor=amount_minor(budget_minor, "budgetMinor"),
            currency=currency_code(currency),
            created_at=now,
            updated_at=now,
        )

    def move_to(self, target: CampaignStatus) -> None:
        if not self.status.can_become(target):
            raise IllegalCampaignTransition(f"a {self.status} campaign cannot become {target}")
        self.status = target

    def revise(
        self,
        *,
        now: datetime,
        event_id: UUID | Keep = KEEP,
        name: str | Keep = KEEP,
        channel: str | Keep = KEEP,
        status: str | Keep = KEEP,
        starts_at: datetime | Keep = KEEP,
        ends_at: datetime | Keep = KEEP,
        budget_minor: int | Keep = KEEP,
        currency: str | Keep = KEEP,
    ) -> None:
        """Validate every given field, then apply them all (status last, through ``move_to``)."""
        if self.status is CampaignStatus.FINISHED:
            raise CampaignFinished("a finished campaign can no longer be changed")
        new_name = self.name if isinstance(name, Keep) else required_text(name, "name", max_length=MAX_NAME_LENGTH)
        new_channel = self.channel if isinstance(channel, Keep) else parse_channel(channel)
        new_status = self.status if isinstance(status, Keep) else parse_status(status)
        new_period = campaign_period(changed(self.period.starts_at, starts_at), changed(self.period.ends_at, ends_at))
        new_budget = self.budget_minor if isinstance(budget_minor, Keep) else amount_minor(budget_minor, "budgetMinor")
        new_currency = self.currency if isinstance(currency, Keep) else currency_code(currency)
        if not self.status.can_become(new_status):
            raise IllegalCampaignTransition(f"a {self.status} campaign cannot become {new_status}")
        self.event_id = changed(self.event_id, event_id)
        self.name = new_name
        self.channel = new_channel
        self.period = new_period
        self.budget_minor = new_budget
        self.currency = new_currency
        self.move_to(new_status)
        self.updated_at = now
