"""The other roles' way into core (auth reads entitlements; admin manages the catalog and companies).

Every call carries a service token addressed to core and the current ``x-request-id``, has a
tight timeout, and turns core's problem responses back into ``DomainError``s with core's ``code``:
400 → InvalidInput, 404 → NotFound, 409 → Conflict, 429 → RateLimited. Core unreachable, slow,
5xx, or refusing our own service credentials (401/403: a deployment fault, not the user's) →
``Unavailable`` (503), so callers fail closed.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self, TypeVar
from uuid import UUID

import httpx
import msgspec

from kisum.adapters.http.common.context import current_request_id
from kisum.adapters.http.core.schemas import (
    AddonBody,
    AddonChangeBody,
    AddonOut,
    AddonPageOut,
    AddonPatchBody,
    BasicBody,
    CompanyBody,
    CompanyOut,
    CompanyPageOut,
    EntitlementsOut,
    ModuleBody,
    ModuleOut,
    ModulePageOut,
    ModulePatchBody,
    PackageBody,
    PackageOut,
    PackagePageOut,
    PackagePatchBody,
)
from kisum.adapters.security.service_tokens import ServiceAuth, ServiceTokenIssuer
from kisum.config import Role, Settings
from kisum.domain.errors import Conflict, DomainError, InvalidInput, NotFound, RateLimited, Unavailable

T = TypeVar("T")

CORE_UNAVAILABLE = "CORE_UNAVAILABLE"


class _ProblemBody(msgspec.Struct):
    code: str = "CORE_ERROR"
    detail: str = ""


def _error_from(response: httpx.Response) -> DomainError:
    try:
        problem = msgspec.json.decode(response.content, type=_ProblemBody)
    except msgspec.DecodeError:
        problem = _ProblemBody(detail=response.text[:200])
    status = response.status_code
    detail = problem.detail or f"core answered {status}"
    if status == 400 or status == 422:
        return InvalidInput(detail, code=problem.code)
    if status == 404:
        return NotFound(detail, code=problem.code)
    if status == 409:
        return Conflict(detail, code=problem.code)
    if status == 429:
        retry_after = response.headers.get("retry-after", "5")
        return RateLimited(detail, retry_after_seconds=int(retry_after) if retry_after.isdigit() else 5)
    if status in (401, 403):
        return Unavailable(f"core refused this service's credentials ({problem.code})", code=CORE_UNAVAILABLE)
    if status >= 500:
        return Unavailable(f"core failed with {status}", code=CORE_UNAVAILABLE)
    return InvalidInput(detail, code=problem.code)


class CoreClient:
    """One per process (it owns a connection pool); close it with ``aclose`` or ``async with``."""

    def __init__(
        self,
        base_url: str,
        auth: httpx.Auth,
        *,
        timeout_seconds: float = 2.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            auth=auth,
            timeout=httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, 1.0)),
            transport=transport,
            follow_redirects=False,
            headers={"accept": "application/json"},
        )

    @classmethod
    def from_settings(
        cls, settings: Settings, issuer: ServiceTokenIssuer, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> CoreClient:
        return cls(
            settings.url_of(Role.CORE),
            ServiceAuth(issuer, Role.CORE),
            timeout_seconds=settings.internal_call_timeout_seconds,
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

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

    # --- transport ---------------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        result: type[T] | None,
        *,
        body: msgspec.Struct | None = None,
        params: dict[str, Any] | None = None,
    ) -> T:
        headers: dict[str, str] = {}
        request_id = current_request_id()
        if request_id:
            headers["x-request-id"] = request_id
        content: bytes | None = None
        if body is not None:
            content = msgspec.json.encode(body)
            headers["content-type"] = "application/json"
        try:
            response = await self._client.request(method, path, content=content, params=params, headers=headers)
        except httpx.TimeoutException as error:
            raise Unavailable("core did not answer in time", code=CORE_UNAVAILABLE) from error
        except httpx.HTTPError as error:
            raise Unavailable("core is unreachable", code=CORE_UNAVAILABLE) from error
        if not response.is_success:
            raise _error_from(response)
        if result is None:
            return None  # type: ignore[return-value]
        try:
            return msgspec.json.decode(response.content, type=result)
        except msgspec.DecodeError as error:
            raise Unavailable("core answered something unexpected", code=CORE_UNAVAILABLE) from error


def _page(page: int, limit: int) -> dict[str, Any]:
    return {"page": page, "limit": limit}
