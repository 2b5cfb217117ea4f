"""The platform admin API: thin controllers that proxy to core and auth with service credentials.

Every route is behind ``require_platform_admin``. Catalog, company and subscription bodies are
core's wire contracts (``kisum.adapters.contracts``), so admin validates exactly what core would
(and refuses unknown fields before any call leaves); core's and auth's problem codes come back to
the caller unchanged.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from kisum.adapters.clients.auth_client import AuthClient
from kisum.adapters.clients.core_client import CoreClient
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
from kisum.adapters.contracts.permissions import PermissionBody, PermissionOut, PermissionPageOut
from kisum.adapters.http.admin.approval import approve_with_owner
from kisum.adapters.http.admin.guard import require_platform_admin
from kisum.adapters.http.admin.schemas import ApprovalOut, ApproveBody
from kisum.adapters.http.common.params import PageLimit, PageNumber
from kisum.domain.errors import InvalidInput

CompanyStatusFilter = Annotated[str | None, Parameter(pattern="^(pending|approved|suspended)$")]
# A catalog key as one path segment; starting with a letter or digit keeps "." and ".." out.
Key = Annotated[str, Parameter(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$")]


def _company_id(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise InvalidInput(f"{raw[:64]!r} is not a company id (a UUID)", code="INVALID_COMPANY_ID") from None


class AdminCatalogController(Controller):
    path = "/admin/catalog"
    tags = ["catalog"]
    guards = [require_platform_admin]

    @get("/modules")
    async def list_modules(
        self, core: FromDishka[CoreClient], page: PageNumber = 1, limit: PageLimit = 20
    ) -> ModulePageOut:
        return await core.list_modules(page=page, limit=limit)

    @post("/modules", status_code=HTTP_201_CREATED)
    async def create_module(self, data: JSONBody[ModuleBody], core: FromDishka[CoreClient]) -> ModuleOut:
        return await core.create_module(data)

    @patch("/modules/{key:str}")
    async def update_module(
        self, key: FromPath[Key], data: JSONBody[ModulePatchBody], core: FromDishka[CoreClient]
    ) -> ModuleOut:
        return await core.update_module(key, data)

    @delete("/modules/{key:str}", status_code=HTTP_204_NO_CONTENT)
    async def delete_module(self, key: FromPath[Key], core: FromDishka[CoreClient]) -> None:
        await core.delete_module(key)

    @get("/packages")
    async def list_packages(
        self, core: FromDishka[CoreClient], page: PageNumber = 1, limit: PageLimit = 20
    ) -> PackagePageOut:
        return await core.list_packages(page=page, limit=limit)

    @post("/packages", status_code=HTTP_201_CREATED)
    async def create_package(self, data: JSONBody[PackageBody], core: FromDishka[CoreClient]) -> PackageOut:
        return await core.create_package(data)

    @patch("/packages/{key:str}")
    async def update_package(
        self, key: FromPath[Key], data: JSONBody[PackagePatchBody], core: FromDishka[CoreClient]
    ) -> PackageOut:
        return await core.update_package(key, data)

    @delete("/packages/{key:str}", status_code=HTTP_204_NO_CONTENT)
    async def delete_package(self, key: FromPath[Key], core: FromDishka[CoreClient]) -> None:
        await core.delete_package(key)

    @get("/addons")
    async def list_addons(
        self, core: FromDishka[CoreClient], page: PageNumber = 1, limit: PageLimit = 20
    ) -> AddonPageOut:
        return await core.list_addons(page=page, limit=limit)

    @post("/addons", status_code=HTTP_201_CREATED)
    async def create_addon(self, data: JSONBody[AddonBody], core: FromDishka[CoreClient]) -> AddonOut:
        return await core.create_addon(data)

    @patch("/addons/{key:str}")
    async def update_addon(
        self, key: FromPath[Key], data: JSONBody[AddonPatchBody], core: FromDishka[CoreClient]
    ) -> AddonOut:
        return await core.update_addon(key, data)

    @delete("/addons/{key:str}", status_code=HTTP_204_NO_CONTENT)
    async def delete_addon(self, key: FromPath[Key], core: FromDishka[CoreClient]) -> None:
        await core.delete_addon(key)


class AdminPermissionController(Controller):
    path = "/admin/permissions"
    tags = ["permissions"]
    guards = [require_platform_admin]

    @get("/")
    async def list_permissions(
        self, auth: FromDishka[AuthClient], page: PageNumber = 1, limit: PageLimit = 100
    ) -> PermissionPageOut:
        return await auth.list_permissions(page=page, limit=limit)

    @post("/", status_code=HTTP_201_CREATED)
    async def create_permission(self, data: JSONBody[PermissionBody], auth: FromDishka[AuthClient]) -> PermissionOut:
        return await auth.create_permission(data.key, data.description)

    @delete("/{key:str}", status_code=HTTP_204_NO_CONTENT)
    async def delete_permission(self, key: FromPath[Key], auth: FromDishka[AuthClient]) -> None:
        await auth.delete_permission(key)


class AdminCompanyController(Controller):
    path = "/admin/companies"
    tags = ["companies"]
    guards = [require_platform_admin]

    @post("/", status_code=HTTP_201_CREATED)
    async def create_company(self, data: JSONBody[CompanyBody], core: FromDishka[CoreClient]) -> CompanyOut:
        """A new company, ``pending`` until approved with its owner."""
        return await core.create_company(data.name)

    @get("/")
    async def list_companies(
        self,
        core: FromDishka[CoreClient],
        page: PageNumber = 1,
        limit: PageLimit = 20,
        status: FromQuery[CompanyStatusFilter] = None,
    ) -> CompanyPageOut:
        return await core.list_companies(page=page, limit=limit, status=status)

    @get("/{company_id:str}")
    async def get_company(self, company_id: FromPath[str], core: FromDishka[CoreClient]) -> CompanyOut:
        return await core.get_company(_company_id(company_id))

    @post("/{company_id:str}/approve", status_code=HTTP_200_OK)
    async def approve_company(
        self,
        company_id: FromPath[str],
        data: JSONBody[ApproveBody],
        core: FromDishka[CoreClient],
        auth: FromDishka[AuthClient],
    ) -> ApprovalOut:
        """Approve the company and make its owner (creating the account if the email is new).
        Safe to retry: both steps are idempotent."""
        return await approve_with_owner(core, auth, _company_id(company_id), data.owner)

    @post("/{company_id:str}/suspend", status_code=HTTP_200_OK)
    async def suspend_company(self, company_id: FromPath[str], core: FromDishka[CoreClient]) -> CompanyOut:
        return await core.suspend_company(_company_id(company_id))

    @post("/{company_id:str}/basic", status_code=HTTP_200_OK)
    async def change_basic(
        self, company_id: FromPath[str], data: JSONBody[BasicBody], core: FromDishka[CoreClient]
    ) -> EntitlementsOut:
        return await core.change_basic(_company_id(company_id), data)

    @post("/{company_id:str}/addons", status_code=HTTP_200_OK)
    async def change_addon(
        self, company_id: FromPath[str], data: JSONBody[AddonChangeBody], core: FromDishka[CoreClient]
    ) -> EntitlementsOut:
        return await core.change_addon(_company_id(company_id), data)

    @get("/{company_id:str}/entitlements")
    async def entitlements(self, company_id: FromPath[str], core: FromDishka[CoreClient]) -> EntitlementsOut:
        return await core.get_entitlements(_company_id(company_id))


ROUTE_HANDLERS = [AdminCatalogController, AdminPermissionController, AdminCompanyController]
