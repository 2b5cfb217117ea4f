"""Ports of the market backend; every repository is bound to one company."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from kisum.domain.business.market import Campaign, CampaignStatus
from kisum.domain.paging import Page, PageRequest


class CampaignRepository(Protocol):
    """The campaigns of one company; another company's campaign is simply absent."""

    async def add(self, campaign: Campaign) -> None: ...

    async def get(self, campaign_id: UUID, *, for_update: bool = False) -> Campaign | None: ...

    async def save(self, campaign: Campaign) -> None: ...

    async def delete(self, campaign_id: UUID) -> bool: ...

    async def find(
        self, page: PageRequest, *, event_id: UUID | None = None, status: CampaignStatus | None = None
    ) -> Page[Campaign]:
        """Ordered by start, then creation."""
        ...


class MarketUnitOfWork(Protocol):
    def campaigns(self, company_id: UUID) -> CampaignRepository: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
