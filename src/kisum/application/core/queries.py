"""Queries of the core context and their handlers; they return views, never aggregates."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from kisum.application.core.ports import CoreReadModel, CoreUnitOfWork
from kisum.application.core.views import (
    AddonView,
    CompanyView,
    EntitlementsView,
    ModuleView,
    PackageView,
)
from kisum.application.ports import Clock
from kisum.domain.core.company import CompanyStatus
from kisum.domain.core.errors import CompanyNotFound
from kisum.domain.paging import Page, PageRequest


@dataclass(frozen=True, slots=True)
class GetEntitlements:
    company_id: UUID


@dataclass(frozen=True, slots=True)
class ListModules:
    page: PageRequest = field(default_factory=PageRequest)


@dataclass(frozen=True, slots=True)
class ListPackages:
    page: PageRequest = field(default_factory=PageRequest)


@dataclass(frozen=True, slots=True)
class ListAddons:
    page: PageRequest = field(default_factory=PageRequest)


@dataclass(frozen=True, slots=True)
class ListCompanies:
    page: PageRequest = field(default_factory=PageRequest)
    status: CompanyStatus | None = None


@dataclass(frozen=True, slots=True)
class GetCompany:
    company_id: UUID


class GetEntitlementsHandler:
    """Entitlements are computed by the domain rule, from the company and the catalog's mappings."""

    def __init__(self, uow: CoreUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, query: GetEntitlements) -> EntitlementsView:
        company = await self._uow.companies.get(query.company_id)
        if company is None:
            raise CompanyNotFound(f"company {query.company_id} does not exist")
        package_keys = {company.basic.package_key} if company.basic is not None else set()
        return EntitlementsView.of(
            company,
            self._clock.now(),
            await self._uow.packages.modules_of(package_keys),
            await self._uow.addons.modules_of(set(company.addons)),
        )


class ListModulesHandler:
    def __init__(self, reads: CoreReadModel) -> None:
        self._reads = reads

    async def __call__(self, query: ListModules) -> Page[ModuleView]:
        return await self._reads.list_modules(query.page)


class ListPackagesHandler:
    def __init__(self, reads: CoreReadModel) -> None:
        self._reads = reads

    async def __call__(self, query: ListPackages) -> Page[PackageView]:
        return await self._reads.list_packages(query.page)


class ListAddonsHandler:
    def __init__(self, reads: CoreReadModel) -> None:
        self._reads = reads

    async def __call__(self, query: ListAddons) -> Page[AddonView]:
        return await self._reads.list_addons(query.page)


class ListCompaniesHandler:
    def __init__(self, reads: CoreReadModel) -> None:
        self._reads = reads

    async def __call__(self, query: ListCompanies) -> Page[CompanyView]:
        return await self._reads.list_companies(query.page, query.status)


class GetCompanyHandler:
    def __init__(self, reads: CoreReadModel) -> None:
        self._reads = reads

    async def __call__(self, query: GetCompany) -> CompanyView:
        company = await self._reads.get_company(query.company_id)
        if company is None:
            raise CompanyNotFound(f"company {query.company_id} does not exist")
        return company
