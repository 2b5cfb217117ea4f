"""The other roles' way into core (auth reads entitlements; admin manages the catalog and companies).

Service auth, request ids, timeouts and error mapping are ``InternalClient``'s.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from kisum.adapters.clients.internal import InternalClient
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
from kisum.config import Role


class CoreClient(InternalClient):
    target = Role.CORE

    # --- entitlements (auth) -----------------------------------------------------------------

    async def get_entitlements(self, company_id: UUID) -> EntitlementsOut:
        return await self._call("GET", f"/internal/companies/{company_id}/entitlements", EntitlementsOut)

    # --- catalog (admin) ---------------------------------------------------------------------

    async def list_modules(self, *, page: int = 1, limit: int = 100) -> ModulePageOut:
        return await self._call("GET", "/internal/catalog/modules", ModulePageOut, params=_page(page, limit))

    async def create_module(self, body: ModuleBody) -> ModuleOut:
        return await self._call("POST", "/internal/catalog/modules", ModuleOut, body=body)

    async def update_module(self, key: str, body: ModulePatchBody) -> ModuleOut:
        return await self._call("PATCH", f"/internal/catalog/modules/{key}", ModuleOut, body=body)

    async def delete_module(self, key: str) -> None:
        await self._call("DELETE", f"/internal/catalog/modules/{key}", None)

    async def list_packages(self, *, page: int = 1, limit: int = 100) -> PackagePageOut:
        return await self._call("GET", "/internal/catalog/packages", PackagePageOut, params=_page(page, limit))

    async def create_package(self, body: PackageBody) -> PackageOut:
        return await self._call("POST", "/internal/catalog/packages", PackageOut, body=body)

    async def update_package(self, key: str, body: PackagePatchBody) -> PackageOut:
        return await self._call("PATCH", f"/internal/catalog/packages/{key}", PackageOut, body=body)

    async def delete_package(self, key: str) -> None:
        await self._call("DELETE", f"/internal/catalog/packages/{key}", None)

    async def list_addons(self, *, page: int = 1, limit: int = 100) -> AddonPageOut:
        return await self._call("GET", "/internal/catalog/addons", AddonPageOut, params=_page(page, limit))

    async def create_addon(self, body: AddonBody) -> AddonOut:
        return await self._call("POST", "/internal/catalog/addons", AddonOut, body=body)

    async def update_addon(self, key: str, body: AddonPatchBody) -> AddonOut:
        return await self._call("PATCH", f"/internal/catalog/addons/{key}", AddonOut, body=body)

    async def delete_addon(self, key: str) -> None:
        await self._call("DELETE", f"/internal/catalog/addons/{key}", None)

    # --- companies and subscriptions (admin) -------------------------------------------------

    async def create_company(self, name: str) -> CompanyOut:
        return await self._call("POST", "/internal/companies", CompanyOut, body=CompanyBody(name=name))

    async def list_companies(self, *, page: int = 1, limit: int = 20, status: str | None = None) -> CompanyPageOut:
        params = _page(page, limit)
        if status is not None:
            params["status"] = status
        return await self._call("GET", "/internal/companies", CompanyPageOut, params=params)

    async def get_company(self, company_id: UUID) -> CompanyOut:
        return await self._call("GET", f"/internal/companies/{company_id}", CompanyOut)

    async def approve_company(self, company_id: UUID) -> CompanyOut:
        return await self._call("POST", f"/internal/companies/{company_id}/approve", CompanyOut)

    async def suspend_company(self, company_id: UUID) -> CompanyOut:
        return await self._call("POST", f"/internal/companies/{company_id}/suspend", CompanyOut)

    async def change_basic(self, company_id: UUID, body: BasicBody) -> EntitlementsOut:
        return await self._call("POST", f"/internal/companies/{company_id}/basic", EntitlementsOut, body=body)

    async def change_addon(self, company_id: UUID, body: AddonChangeBody) -> EntitlementsOut:
        return await self._call("POST", f"/internal/companies/{company_id}/addons", EntitlementsOut, body=body)


def _page(page: int, limit: int) -> dict[str, Any]:
    return {"page": page, "limit": limit}
