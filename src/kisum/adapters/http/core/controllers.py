"""Core's internal API: thin controllers over the command and query handlers.

Every route requires a service token addressed to core; reads accept auth and admin,
writes only admin.
"""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from msgspec import UNSET

from kisum.adapters.contracts.catalog import (
    AddonBody,
    AddonOut,
    AddonPageOut,
    AddonPatchBody,
    ModuleBody,
    ModuleOut,
    ModulePageOut,
    ModulePatchBody,
    PackageBody,
    PackageOut,
    PackagePageOut,
    PackagePatchBody,
)
from kisum.adapters.contracts.companies import CompanyBody, CompanyOut, CompanyPageOut
from kisum.adapters.contracts.entitlements import AddonChangeBody, BasicBody, EntitlementsOut
from kisum.adapters.http.common.params import PageLimit, PageNumber
from kisum.adapters.http.core.schemas import (
    addon_out,
    addon_page_out,
    company_out,
    company_page_out,
    entitlements_out,
    module_out,
    module_page_out,
    package_out,
    package_page_out,
)
from kisum.adapters.security.service_tokens import require_service
from kisum.application.core.commands import (
    ActivateAddon,
    ActivateBasic,
    ApproveCompany,
    CreateAddon,
    CreateCompany,
    CreateModule,
    CreatePackage,
    DeactivateAddon,
    DeactivateBasic,
    DeleteAddon,
    DeleteModule,
    DeletePackage,
    SuspendCompany,
    UpdateAddon,
    UpdateModule,
    UpdatePackage,
)
from kisum.application.core.handlers import (
    ActivateAddonHandler,
    ActivateBasicHandler,
    ApproveCompanyHandler,
    CreateAddonHandler,
    CreateCompanyHandler,
    CreateModuleHandler,
    CreatePackageHandler,
    DeactivateAddonHandler,
    DeactivateBasicHandler,
    DeleteAddonHandler,
    DeleteModuleHandler,
    DeletePackageHandler,
    SuspendCompanyHandler,
    UpdateAddonHandler,
    UpdateModuleHandler,
    UpdatePackageHandler,
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
from kisum.config import Role
from kisum.domain.core.catalog import BASIC_PACKAGE_KEY
from kisum.domain.core.company import CompanyStatus
from kisum.domain.errors import InvalidInput
from kisum.domain.paging import PageRequest

READERS = require_service(Role.AUTH, Role.ADMIN)
WRITERS = require_service(Role.ADMIN)


def _company_id(raw: str) -> UUID:
    """Path ids are parsed here, after the guard, so a malformed one is a clear 400."""
    try:
        return UUID(raw)
    except ValueError:
        raise InvalidInput(f"{raw[:64]!r} is not a company id (a UUID)", code="INVALID_COMPANY_ID") from None


def _text_or_none(value: str | object | None) -> tuple[str | None, bool]:
    """PATCH semantics of a nullable text: (new value or None to keep, whether to clear)."""
    if value is UNSET:
        return None, False
    if value is None:
        return None, True
    assert isinstance(value, str)
    return value, False


class CatalogController(Controller):
    path = "/internal/catalog"
    tags = ["catalog"]

    # --- modules -----------------------------------------------------------------------------

    @get("/modules", guards=[READERS])
    async def list_modules(
        self, handler: FromDishka[ListModulesHandler], page: PageNumber = 1, limit: PageLimit = 20
    ) -> ModulePageOut:
        return module_page_out(await handler(ListModules(PageRequest(page, limit))))

    @post("/modules", guards=[WRITERS], status_code=HTTP_201_CREATED)
    async def create_module(self, data: JSONBody[ModuleBody], handler: FromDishka[CreateModuleHandler]) -> ModuleOut:
        return module_out(await handler(CreateModule(key=data.key, name=data.name, description=data.description)))

    @patch("/modules/{key:str}", guards=[WRITERS])
    async def update_module(
        self, key: FromPath[str], data: JSONBody[ModulePatchBody], handler: FromDishka[UpdateModuleHandler]
    ) -> ModuleOut:
        description, clear = _text_or_none(data.description)
        command = UpdateModule(
            key=key,
            name=None if data.name is UNSET else data.name,
            description=description,
            clear_description=clear,
        )
        return module_out(await handler(command))

    @delete("/modules/{key:str}", guards=[WRITERS], status_code=HTTP_204_NO_CONTENT)
    async def delete_module(self, key: FromPath[str], handler: FromDishka[DeleteModuleHandler]) -> None:
        await handler(DeleteModule(key=key))

    # --- packages ----------------------------------------------------------------------------

    @get("/packages", guards=[READERS])
    async def list_packages(
        self, handler: FromDishka[ListPackagesHandler], page: PageNumber = 1, limit: PageLimit = 20
    ) -> PackagePageOut:
        return package_page_out(await handler(ListPackages(PageRequest(page, limit))))

    @post("/packages", guards=[WRITERS], status_code=HTTP_201_CREATED)
    async def create_package(
        self, data: JSONBody[PackageBody], handler: FromDishka[CreatePackageHandler]
    ) -> PackageOut:
        command = CreatePackage(key=data.key, modules=tuple(data.modules), name=data.name, description=data.description)
        return package_out(await handler(command))

    @patch("/packages/{key:str}", guards=[WRITERS])
    async def update_package(
        self, key: FromPath[str], data: JSONBody[PackagePatchBody], handler: FromDishka[UpdatePackageHandler]
    ) -> PackageOut:
        description, clear = _text_or_none(data.description)
        command = UpdatePackage(
            key=key,
            name=None if data.name is UNSET else data.name,
            description=description,
            clear_description=clear,
            modules=None if data.modules is UNSET else tuple(data.modules),
        )
        return package_out(await handler(command))

    @delete("/packages/{key:str}", guards=[WRITERS], status_code=HTTP_204_NO_CONTENT)
    async def delete_package(self, key: FromPath[str], handler: FromDishka[DeletePackageHandler]) -> None:
        await handler(DeletePackage(key=key))

    # --- addons ------------------------------------------------------------------------------

    @get("/addons", guards=[READERS])
    async def list_addons(
        self, handler: FromDishka[ListAddonsHandler], page: PageNumber = 1, limit: PageLimit = 20
    ) -> AddonPageOut:
        return addon_page_out(await handler(ListAddons(PageRequest(page, limit))))

    @post("/addons", guards=[WRITERS], status_code=HTTP_201_CREATED)
    async def create_addon(self, data: JSONBody[AddonBody], handler: FromDishka[CreateAddonHandler]) -> AddonOut:
        command = CreateAddon(key=data.key, modules=tuple(data.modules), name=data.name, description=data.description)
        return addon_out(await handler(command))

    @patch("/addons/{key:str}", guards=[WRITERS])
    async def update_addon(
        self, key: FromPath[str], data: JSONBody[AddonPatchBody], handler: FromDishka[UpdateAddonHandler]
    ) -> AddonOut:
        description, clear = _text_or_none(data.description)
        command = UpdateAddon(
            key=key,
            name=None if data.name is UNSET else data.name,
            description=description,
            clear_description=clear,
            modules=None if data.modules is UNSET else tuple(data.modules),
        )
        return addon_out(await handler(command))

    @delete("/addons/{key:str}", guards=[WRITERS], status_code=HTTP_204_NO_CONTENT)
    async def delete_addon(self, key: FromPath[str], handler: FromDishka[DeleteAddonHandler]) -> None:
        await handler(DeleteAddon(key=key))


class CompanyController(Controller):
    path = "/internal/companies"
    tags = ["companies"]

    @post("/", guards=[WRITERS], status_code=HTTP_201_CREATED)
    async def create_company(
        self, data: JSONBody[CompanyBody], handler: FromDishka[CreateCompanyHandler]
    ) -> CompanyOut:
        return company_out(await handler(CreateCompany(name=data.name)))

    @get("/", guards=[READERS])
    async def list_companies(
        self,
        handler: FromDishka[ListCompaniesHandler],
        page: PageNumber = 1,
        limit: PageLimit = 20,
        status: FromQuery[CompanyStatus | None] = None,
    ) -> CompanyPageOut:
        return company_page_out(await handler(ListCompanies(PageRequest(page, limit), status)))

    @get("/{company_id:str}", guards=[READERS])
    async def get_company(self, company_id: FromPath[str], handler: FromDishka[GetCompanyHandler]) -> CompanyOut:
        return company_out(await handler(GetCompany(_company_id(company_id))))

    @post("/{company_id:str}/approve", guards=[WRITERS], status_code=HTTP_200_OK)
    async def approve_company(
        self, company_id: FromPath[str], handler: FromDishka[ApproveCompanyHandler]
    ) -> CompanyOut:
        return company_out(await handler(ApproveCompany(_company_id(company_id))))

    @post("/{company_id:str}/suspend", guards=[WRITERS], status_code=HTTP_200_OK)
    async def suspend_company(
        self, company_id: FromPath[str], handler: FromDishka[SuspendCompanyHandler]
    ) -> CompanyOut:
        return company_out(await handler(SuspendCompany(_company_id(company_id))))

    @get("/{company_id:str}/entitlements", guards=[READERS])
    async def get_entitlements(
        self, company_id: FromPath[str], handler: FromDishka[GetEntitlementsHandler]
    ) -> EntitlementsOut:
        return entitlements_out(await handler(GetEntitlements(_company_id(company_id))))

    @post("/{company_id:str}/basic", guards=[WRITERS], status_code=HTTP_200_OK)
    async def change_basic(
        self,
        company_id: FromPath[str],
        data: JSONBody[BasicBody],
        activate: FromDishka[ActivateBasicHandler],
        deactivate: FromDishka[DeactivateBasicHandler],
    ) -> EntitlementsOut:
        if data.action == "activate":
            view = await activate(
                ActivateBasic(
                    company_id=_company_id(company_id),
                    package_key=data.package_key or BASIC_PACKAGE_KEY,
                    status=data.status or "active",
                    starts_at=data.starts_at,
                    ends_at=data.ends_at,
                )
            )
        else:
            view = await deactivate(
                DeactivateBasic(
                    company_id=_company_id(company_id),
                    status=data.status or "canceled",
                    starts_at=data.starts_at,
                    ends_at=data.ends_at,
                )
            )
        return entitlements_out(view)

    @post("/{company_id:str}/addons", guards=[WRITERS], status_code=HTTP_200_OK)
    async def change_addon(
        self,
        company_id: FromPath[str],
        data: JSONBody[AddonChangeBody],
        activate: FromDishka[ActivateAddonHandler],
        deactivate: FromDishka[DeactivateAddonHandler],
    ) -> EntitlementsOut:
        if data.action == "activate":
            view = await activate(
                ActivateAddon(
                    company_id=_company_id(company_id),
                    addon_key=data.addon_key,
                    status=data.status or "active",
                    starts_at=data.starts_at,
                    ends_at=data.ends_at,
                )
            )
        else:
            view = await deactivate(
                DeactivateAddon(
                    company_id=_company_id(company_id),
                    addon_key=data.addon_key,
                    status=data.status or "canceled",
                    starts_at=data.starts_at,
                    ends_at=data.ends_at,
                )
            )
        return entitlements_out(view)


ROUTE_HANDLERS = [CatalogController, CompanyController]
