"""The core client that auth and admin use, against the real core app (httpx.ASGITransport)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from kisum.adapters.clients.core_client import CoreClient
from kisum.adapters.contracts.catalog import (
    AddonBody,
    AddonPatchBody,
    ModuleBody,
    ModulePatchBody,
    PackageBody,
    PackagePatchBody,
)
from kisum.adapters.contracts.entitlements import AddonChangeBody, BasicBody
from kisum.adapters.request_context import request_id_var
from kisum.adapters.security.service_tokens import ServiceAuth
from kisum.config import Role
from kisum.domain.errors import Conflict, InvalidInput, NotFound, Unavailable
from kisum.ioc.core import create_app
from tests.e2e.core.conftest import UNREACHABLE_AUTH, ServiceCallers, core_settings
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres


class RecordingTransport(httpx.AsyncBaseTransport):
    """The real app behind ASGITransport; remembers the request headers it carried."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


@pytest.fixture
async def transport(
    engine_for: EngineForRole, postgres_url: str, tmp_path: Path, callers: ServiceCallers
) -> AsyncIterator[RecordingTransport]:
    await engine_for("core")
    app = create_app(core_settings(postgres_url, tmp_path, callers, UNREACHABLE_AUTH))
    # ASGITransport sends no lifespan events (and Litestar's lifespan must start and end in one
    # task): the schema is already migrated, so only the container needs closing afterwards.
    try:
        yield RecordingTransport(httpx.ASGITransport(app=app))
    finally:
        await app.state.dishka_container.close()


def client_as(role: Role, callers: ServiceCallers, transport: httpx.AsyncBaseTransport) -> CoreClient:
    return CoreClient("http://core.internal", ServiceAuth(callers.issuers[role], Role.CORE), transport=transport)


@pytest.fixture
async def admin(callers: ServiceCallers, transport: RecordingTransport) -> AsyncIterator[CoreClient]:
    async with client_as(Role.ADMIN, callers, transport) as client:
        yield client


async def test_admin_flow_and_auth_reads_entitlements(
    admin: CoreClient, callers: ServiceCallers, transport: RecordingTransport
) -> None:
    company = await admin.create_company("Acme")
    assert company.status == "pending"
    assert (await admin.approve_company(company.id)).status == "approved"
    await admin.change_basic(company.id, BasicBody(action="activate"))
    changed = await admin.change_addon(company.id, AddonChangeBody(addon_key="finance", action="activate"))
    assert changed.enabled_modules == ["basic", "finance"]

    async with client_as(Role.AUTH, callers, transport) as auth:
        entitlements = await auth.get_entitlements(company.id)
    assert entitlements == changed
    assert entitlements.entitlement_version == 3
    assert entitlements.basic is not None
    assert entitlements.basic.package_key == "basic"


async def test_catalog_calls(admin: CoreClient) -> None:
    assert (await admin.create_module(ModuleBody(key="crm", name="CRM"))).name == "CRM"
    assert (await admin.update_module("crm", ModulePatchBody(description="customers"))).description == "customers"
    package = await admin.create_package(PackageBody(key="pro", modules=["basic", "crm"]))
    assert package.modules == ["basic", "crm"]
    assert (await admin.update_package("pro", PackagePatchBody(modules=["basic"]))).modules == ["basic"]
    addon = await admin.create_addon(AddonBody(key="crm", modules=["crm"]))
    assert addon.modules == ["crm"]
    assert (await admin.update_addon("crm", AddonPatchBody(name="CRM"))).name == "CRM"
    assert "crm" in [a.key for a in (await admin.list_addons()).items]
    assert "pro" in [p.key for p in (await admin.list_packages()).items]
    await admin.delete_addon("crm")
    await admin.delete_package("pro")
    await admin.delete_module("crm")
    assert "crm" not in [m.key for m in (await admin.list_modules()).items]


async def test_company_listing_and_suspension(admin: CoreClient) -> None:
    first = await admin.create_company("One")
    await admin.create_company("Two")
    await admin.approve_company(first.id)
    page = await admin.list_companies(limit=1)
    assert (page.total, page.limit, len(page.items)) == (2, 1, 1)
    assert [c.id for c in (await admin.list_companies(status="approved")).items] == [first.id]
    assert (await admin.suspend_company(first.id)).status == "suspended"
    assert (await admin.get_company(first.id)).name == "One"


async def test_problems_become_domain_errors_with_cores_code(admin: CoreClient) -> None:
    with pytest.raises(NotFound) as not_found:
        await admin.get_entitlements(uuid.uuid4())
    assert not_found.value.code == "COMPANY_NOT_FOUND"
    with pytest.raises(Conflict) as conflict:
        await admin.create_module(ModuleBody(key="finance"))
    assert conflict.value.code == "MODULE_EXISTS"
    with pytest.raises(InvalidInput) as invalid:
        await admin.create_package(PackageBody(key="gold", modules=["nope"]))
    assert invalid.value.code == "UNKNOWN_MODULE"


async def test_refused_credentials_are_unavailable(callers: ServiceCallers, transport: RecordingTransport) -> None:
    async with client_as(Role.BASIC, callers, transport) as basic:
        with pytest.raises(Unavailable) as raised:
            await basic.get_entitlements(uuid.uuid4())
    assert raised.value.code == "CORE_UNAVAILABLE"


async def test_auth_may_not_write_through_the_client(callers: ServiceCallers, transport: RecordingTransport) -> None:
    async with client_as(Role.AUTH, callers, transport) as auth:
        with pytest.raises(Unavailable):
            await auth.create_company("Nope")


async def test_request_id_is_forwarded(admin: CoreClient, transport: RecordingTransport) -> None:
    token = request_id_var.set("req-from-admin-42")
    try:
        await admin.list_modules()
    finally:
        request_id_var.reset(token)
    assert transport.requests[-1].headers["x-request-id"] == "req-from-admin-42"
    assert transport.requests[-1].headers["authorization"].startswith("Bearer ")


async def test_unreachable_core_is_unavailable(callers: ServiceCallers) -> None:
    client = CoreClient("http://127.0.0.1:9", ServiceAuth(callers.issuers[Role.AUTH], Role.CORE), timeout_seconds=0.5)
    async with client:
        with pytest.raises(Unavailable) as raised:
            await client.get_entitlements(uuid.uuid4())
    assert raised.value.code == "CORE_UNAVAILABLE"


async def test_core_5xx_is_unavailable(callers: ServiceCallers) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, json={"code": "INTERNAL_ERROR", "detail": "boom"})

    client = CoreClient(
        "http://core.internal",
        ServiceAuth(callers.issuers[Role.AUTH], Role.CORE),
        transport=httpx.MockTransport(broken),
    )
    async with client:
        with pytest.raises(Unavailable):
            await client.get_entitlements(uuid.uuid4())
