from __future__ import annotations

import uuid

import pytest

from kisum.application.core.commands import ActivateAddon, ActivateBasic, ApproveCompany, CreateCompany
from kisum.application.core.handlers import (
    ActivateAddonHandler,
    ActivateBasicHandler,
    ApproveCompanyHandler,
    CreateCompanyHandler,
)
from kisum.application.core.queries import (
    GetCompany,
    GetCompanyHandler,
    GetEntitlements,
    GetEntitlementsHandler,
    ListAddons,
    ListAddonsHandler,
    ListCompanies,
    ListCompaniesHandler,
    ListModules,
    ListModulesHandler,
    ListPackages,
    ListPackagesHandler,
)
from kisum.domain.core.company import CompanyStatus
from kisum.domain.errors import InvalidInput, NotFound
from kisum.domain.paging import PageRequest
from tests.application.core.fakes import (
    FakeClock,
    FakeCoreUnitOfWork,
    FakeIds,
    FakeReadModel,
    RecordingNotifier,
    default_catalog,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def uow(clock: FakeClock) -> FakeCoreUnitOfWork:
    unit = FakeCoreUnitOfWork()
    default_catalog(unit, clock.now())
    return unit


async def test_get_entitlements_of_a_new_company_is_empty(uow: FakeCoreUnitOfWork, clock: FakeClock) -> None:
    company = await CreateCompanyHandler(uow, clock, FakeIds())(CreateCompany(name="Acme"))
    view = await GetEntitlementsHandler(uow, clock)(GetEntitlements(company.id))
    assert view.company_id == company.id
    assert view.entitlement_version == 0
    assert view.basic is None
    assert view.addons == ()
    assert view.enabled_modules == ()
    assert view.valid_until is None


async def test_get_entitlements_computes_modules(uow: FakeCoreUnitOfWork, clock: FakeClock) -> None:
    notifier = RecordingNotifier(uow)
    company = await CreateCompanyHandler(uow, clock, FakeIds())(CreateCompany(name="Acme"))
    await ApproveCompanyHandler(uow, clock, notifier)(ApproveCompany(company.id))
    await ActivateBasicHandler(uow, clock, notifier)(ActivateBasic(company.id))
    await ActivateAddonHandler(uow, clock, notifier)(ActivateAddon(company.id, "finance"))
    commits = uow.commits
    view = await GetEntitlementsHandler(uow, clock)(GetEntitlements(company.id))
    assert view.enabled_modules == ("basic", "finance")
    assert view.entitlement_version == 3
    assert uow.commits == commits


async def test_get_entitlements_of_unknown_company_is_not_found(uow: FakeCoreUnitOfWork, clock: FakeClock) -> None:
    with pytest.raises(NotFound):
        await GetEntitlementsHandler(uow, clock)(GetEntitlements(uuid.uuid4()))


async def test_catalog_lists_are_paged(uow: FakeCoreUnitOfWork) -> None:
    reads = FakeReadModel(uow)
    modules = await ListModulesHandler(reads)(ListModules(PageRequest(page=2, limit=4)))
    assert [m.key for m in modules.items] == ["touring", "venue"]
    assert modules.total == 6
    packages = await ListPackagesHandler(reads)(ListPackages())
    assert [(p.key, p.modules) for p in packages.items] == [("basic", ("basic",))]
    addons = await ListAddonsHandler(reads)(ListAddons())
    assert [a.key for a in addons.items] == ["ai", "finance", "market", "touring", "venue"]


async def test_list_companies_filters_by_status(uow: FakeCoreUnitOfWork, clock: FakeClock) -> None:
    reads = FakeReadModel(uow)
    pending = await CreateCompanyHandler(uow, clock, FakeIds())(CreateCompany(name="A"))
    approved = await CreateCompanyHandler(uow, clock, FakeIds())(CreateCompany(name="B"))
    await ApproveCompanyHandler(uow, clock, RecordingNotifier(uow))(ApproveCompany(approved.id))
    page = await ListCompaniesHandler(reads)(ListCompanies(status=CompanyStatus.PENDING))
    assert [c.id for c in page.items] == [pending.id]
    assert page.total == 1


async def test_get_company_returns_the_view_or_not_found(uow: FakeCoreUnitOfWork, clock: FakeClock) -> None:
    reads = FakeReadModel(uow)
    created = await CreateCompanyHandler(uow, clock, FakeIds())(CreateCompany(name="Acme"))
    assert (await GetCompanyHandler(reads)(GetCompany(created.id))).name == "Acme"
    with pytest.raises(NotFound):
        await GetCompanyHandler(reads)(GetCompany(uuid.uuid4()))


@pytest.mark.parametrize(("page", "limit"), [(0, 20), (1, 0), (1, 101)])
def test_page_request_bounds(page: int, limit: int) -> None:
    with pytest.raises(InvalidInput):
        PageRequest(page=page, limit=limit)
