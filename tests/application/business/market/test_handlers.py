"""Market handlers against in-memory ports: stored state, commits, refusals."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

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
from kisum.domain.business.market import Campaign, CampaignNotFound, CampaignStatus, IllegalCampaignTransition
from kisum.domain.paging import Page, PageRequest
from tests.application.business.fakes import FakeClock, FakeIds, FakeUnitOfWork, TenantStore

COMPANY, OTHER = uuid4(), uuid4()
START = datetime(2025, 5, 1, tzinfo=UTC)


class FakeCampaigns(TenantStore[Campaign]):
    async def add(self, campaign: Campaign) -> None:
        self.put(campaign.id, copy.deepcopy(campaign))

    async def get(self, campaign_id: UUID, *, for_update: bool = False) -> Campaign | None:
        return copy.deepcopy(self.take(campaign_id))

    async def save(self, campaign: Campaign) -> None:
        self.put(campaign.id, copy.deepcopy(campaign))

    async def delete(self, campaign_id: UUID) -> bool:
        return self.drop(campaign_id)

    async def find(
        self, page: PageRequest, *, event_id: UUID | None = None, status: CampaignStatus | None = None
    ) -> Page[Campaign]:
        items = [c for c in self.mine() if (status is None or c.status is status)]
        return self.page(items, page, key=lambda c: c.period.starts_at)


class FakeMarketUow(FakeUnitOfWork):
    def __init__(self) -> None:
        self.items: dict[tuple[UUID, UUID], Campaign] = {}
        super().__init__(self.items)

    def campaigns(self, company_id: UUID) -> FakeCampaigns:
        return FakeCampaigns(self.items, company_id)


@pytest.fixture
def uow() -> FakeMarketUow:
    return FakeMarketUow()


async def create(uow: FakeMarketUow, company: UUID = COMPANY) -> Campaign:
    return await CreateCampaignHandler(uow, FakeClock(), FakeIds())(
        CreateCampaign(company, uuid4(), "Launch", "ads", START, START + timedelta(days=3), 1000, "EUR")
    )


async def test_create_stores_a_draft_and_commits_once(uow: FakeMarketUow) -> None:
    campaign = await create(uow)
    assert uow.items[(COMPANY, campaign.id)].status is CampaignStatus.DRAFT
    assert uow.commits == 1


async def test_update_moves_status_and_commits(uow: FakeMarketUow) -> None:
    campaign = await create(uow)
    updated = await UpdateCampaignHandler(uow, FakeClock())(UpdateCampaign(COMPANY, campaign.id, status="scheduled"))
    assert updated.status is CampaignStatus.SCHEDULED
    assert uow.items[(COMPANY, campaign.id)].status is CampaignStatus.SCHEDULED
    assert uow.commits == 2


async def test_illegal_transition_changes_nothing_and_does_not_commit(uow: FakeMarketUow) -> None:
    campaign = await create(uow)
    with pytest.raises(IllegalCampaignTransition):
        await UpdateCampaignHandler(uow, FakeClock())(
            UpdateCampaign(COMPANY, campaign.id, status="finished", name="Changed")
        )
    assert uow.items[(COMPANY, campaign.id)].name == "Launch"
    assert uow.commits == 1


async def test_another_companys_campaign_is_not_found_everywhere(uow: FakeMarketUow) -> None:
    campaign = await create(uow, OTHER)
    with pytest.raises(CampaignNotFound):
        await GetCampaignHandler(uow)(GetCampaign(COMPANY, campaign.id))
    with pytest.raises(CampaignNotFound):
        await UpdateCampaignHandler(uow, FakeClock())(UpdateCampaign(COMPANY, campaign.id, name="Mine"))
    with pytest.raises(CampaignNotFound):
        await DeleteCampaignHandler(uow)(DeleteCampaign(COMPANY, campaign.id))
    assert (await ListCampaignsHandler(uow)(ListCampaigns(COMPANY))).total == 0
    assert (OTHER, campaign.id) in uow.items
