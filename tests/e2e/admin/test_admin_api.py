"""The platform admin API over the real admin, auth and core apps."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import httpx
import pytest

from kisum.config import Role
from tests.e2e.admin.conftest import FlakyTransport
from tests.e2e.auth.harness import OWNER_PASSWORD, Platform, bearer, create_company, login

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


async def _new_company(admin: httpx.AsyncClient, token: str, name: str = "Acme") -> dict[str, Any]:
    created = await admin.post("/admin/companies", json={"name": name}, headers=bearer(token))
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


async def test_only_platform_admins_get_in(
    roles: Platform, auth: httpx.AsyncClient, admin: httpx.AsyncClient, admin_token: str
) -> None:
    await create_company(roles, basic=True, owner_email="owner@acme.test")
    owner_token = (await login(auth, "owner@acme.test", OWNER_PASSWORD))["accessToken"]
    nested = base64.urlsafe_b64encode(b"[" * 3000 + b"]" * 3000).rstrip(b"=").decode()

    no_token = await admin.get("/admin/companies")
    garbage = await admin.get("/admin/companies", headers=bearer("not.a.token"))
    hostile = await admin.get("/admin/companies", headers=bearer(f"{nested}.e30.sig"))
    not_admin = await admin.get("/admin/companies", headers=bearer(owner_token))
    not_admin_write = await admin.post("/admin/companies", json={"name": "X"}, headers=bearer(owner_token))
    allowed = await admin.get("/admin/companies", headers=bearer(admin_token))

    assert (no_token.status_code, no_token.json()["code"]) == (401, "UNAUTHENTICATED")
    assert no_token.headers["www-authenticate"] == "Bearer"
    assert garbage.status_code == 401
    assert hostile.status_code == 401
    assert (not_admin.status_code, not_admin.json()["code"]) == (403, "PLATFORM_ADMIN_REQUIRED")
    assert (not_admin_write.status_code, not_admin_write.json()["code"]) == (403, "PLATFORM_ADMIN_REQUIRED")
    assert allowed.status_code == 200


async def test_a_logged_out_admin_token_is_refused(auth: httpx.AsyncClient, admin: httpx.AsyncClient) -> None:
    from tests.e2e.auth.harness import ADMIN_EMAIL, ADMIN_PASSWORD

    token = (await login(auth, ADMIN_EMAIL, ADMIN_PASSWORD))["accessToken"]
    assert (await auth.post("/auth/logout", headers=bearer(token))).status_code == 204

    refused = await admin.get("/admin/companies", headers=bearer(token))

    assert (refused.status_code, refused.json()["code"]) == (401, "UNAUTHENTICATED")


async def test_company_onboarding_end_to_end(
    auth: httpx.AsyncClient, admin: httpx.AsyncClient, admin_token: str, flaky: FlakyTransport
) -> None:
    headers = {**bearer(admin_token), "x-request-id": "onboarding-1"}
    company = await _new_company(admin, admin_token)
    assert {"id", "name", "status"} <= set(company)
    assert (company["name"], company["status"]) == ("Acme", "pending")

    approved = await admin.post(
        f"/admin/companies/{company['id']}/approve",
        json={"owner": {"email": "founder@acme.test", "name": "Founder", "password": OWNER_PASSWORD}},
        headers=headers,
    )
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["company"]["id"] == company["id"]
    assert body["company"]["status"] == "approved"
    assert set(body["owner"]) == {"userId", "membershipId"}
    owner_call = next(r for r in flaky.seen if r.url.path == "/internal/owners")
    assert owner_call.headers["x-request-id"] == "onboarding-1"
    assert owner_call.headers["authorization"].startswith("Bearer ")

    basic = await admin.post(f"/admin/companies/{company['id']}/basic", json={"action": "activate"}, headers=headers)
    addon = await admin.post(
        f"/admin/companies/{company['id']}/addons", json={"addonKey": "market", "action": "activate"}, headers=headers
    )
    assert basic.status_code == 200, basic.text
    assert addon.status_code == 200, addon.text
    assert addon.json()["enabledModules"] == ["basic", "market"]
    entitlements = await admin.get(f"/admin/companies/{company['id']}/entitlements", headers=headers)
    assert entitlements.json() == addon.json()
    listed = await admin.get("/admin/companies", headers=headers)
    assert [item["id"] for item in listed.json()["items"]] == [company["id"]]

    owner = await login(auth, "founder@acme.test", OWNER_PASSWORD)
    assert owner["user"]["id"] == body["owner"]["userId"]
    access = await auth.get("/auth/me/access", headers=bearer(owner["accessToken"], company["id"]))
    assert access.status_code == 200
    assert access.json()["modules"] == ["basic", "market"]
    assert access.json()["membershipId"] == body["owner"]["membershipId"]
    assert access.json()["role"] == "owner"


@pytest.mark.parametrize("failure", ["fail_before", "fail_after"])
async def test_approve_is_safe_to_retry_after_owner_creation_fails(
    auth: httpx.AsyncClient, admin: httpx.AsyncClient, admin_token: str, flaky: FlakyTransport, failure: str
) -> None:
    company = await _new_company(admin, admin_token)
    request = {"owner": {"email": "founder@acme.test", "name": "Founder", "password": OWNER_PASSWORD}}
    setattr(flaky, failure, 1)

    failed = await admin.post(f"/admin/companies/{company['id']}/approve", json=request, headers=bearer(admin_token))
    assert failed.status_code == 503
    assert failed.json()["code"] == "AUTH_UNAVAILABLE"
    if failure == "fail_before":  # nothing happened anywhere: the company is still pending
        still = await admin.get(f"/admin/companies/{company['id']}", headers=bearer(admin_token))
        assert still.json()["status"] == "pending"

    retried = await admin.post(f"/admin/companies/{company['id']}/approve", json=request, headers=bearer(admin_token))
    again = await admin.post(f"/admin/companies/{company['id']}/approve", json=request, headers=bearer(admin_token))

    assert retried.status_code == 200, retried.text
    assert retried.json()["company"]["status"] == "approved"
    assert again.status_code == 200
    assert again.json()["owner"] == retried.json()["owner"]
    owner = await login(auth, "founder@acme.test", OWNER_PASSWORD)
    me = await auth.get("/auth/me", headers=bearer(owner["accessToken"]))
    memberships = me.json()["memberships"]
    assert memberships == [
        {
            "membershipId": retried.json()["owner"]["membershipId"],
            "companyId": company["id"],
            "role": "owner",
            "status": "active",
        }
    ]
    users = await auth.get("/auth/tenant/users", headers=bearer(owner["accessToken"], company["id"]))
    assert users.json()["total"] == 1


async def test_approve_refuses_unknown_companies_and_bad_owners(admin: httpx.AsyncClient, admin_token: str) -> None:
    company = await _new_company(admin, admin_token)
    unknown = await admin.post(
        f"/admin/companies/{uuid.uuid4()}/approve",
        json={"owner": {"email": "a@acme.test", "name": "A", "password": OWNER_PASSWORD}},
        headers=bearer(admin_token),
    )
    weak = await admin.post(
        f"/admin/companies/{company['id']}/approve",
        json={"owner": {"email": "a@acme.test", "name": "A", "password": "password"}},
        headers=bearer(admin_token),
    )
    extra = await admin.post(
        f"/admin/companies/{company['id']}/approve",
        json={"owner": {"email": "a@acme.test", "name": "A", "password": OWNER_PASSWORD, "role": "admin"}},
        headers=bearer(admin_token),
    )

    assert (unknown.status_code, unknown.json()["code"]) == (404, "COMPANY_NOT_FOUND")
    assert (weak.status_code, weak.json()["code"]) == (400, "WEAK_PASSWORD")
    assert (extra.status_code, extra.json()["code"]) == (400, "VALIDATION_ERROR")
    still = await admin.get(f"/admin/companies/{company['id']}", headers=bearer(admin_token))
    assert still.json()["status"] == "pending"


async def test_permission_catalog_is_seeded_and_editable(admin: httpx.AsyncClient, admin_token: str) -> None:
    headers = bearer(admin_token)
    listed = await admin.get("/admin/permissions", headers=headers)
    assert listed.status_code == 200
    keys = {item["key"] for item in listed.json()["items"]}
    assert {"basic.artist.view", "basic.dashboard.view", "finance.budget.view"} <= keys  # from the route declarations

    created = await admin.post(
        "/admin/permissions", json={"key": "finance.report.export", "description": "Export reports"}, headers=headers
    )
    duplicate = await admin.post("/admin/permissions", json={"key": "finance.report.export"}, headers=headers)
    invalid = await admin.post("/admin/permissions", json={"key": "not a key"}, headers=headers)
    assert created.status_code == 201
    assert created.json() == {"key": "finance.report.export", "description": "Export reports"}
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "PERMISSION_EXISTS")
    assert invalid.status_code == 400

    deleted = await admin.delete("/admin/permissions/finance.report.export", headers=headers)
    gone = await admin.delete("/admin/permissions/finance.report.export", headers=headers)
    assert deleted.status_code == 204
    assert (gone.status_code, gone.json()["code"]) == (404, "PERMISSION_NOT_FOUND")


async def test_catalog_is_proxied_to_core(admin: httpx.AsyncClient, admin_token: str) -> None:
    headers = bearer(admin_token)

    modules = await admin.get("/admin/catalog/modules", headers=headers)
    created = await admin.post(
        "/admin/catalog/modules", json={"key": "ticketing", "name": "Ticketing"}, headers=headers
    )
    addon = await admin.post(
        "/admin/catalog/addons", json={"key": "ticketing", "modules": ["ticketing"]}, headers=headers
    )
    renamed = await admin.patch("/admin/catalog/addons/ticketing", json={"name": "Tickets"}, headers=headers)
    unknown_field = await admin.post("/admin/catalog/modules", json={"key": "x", "bogus": 1}, headers=headers)
    packages = await admin.get("/admin/catalog/packages", headers=headers)

    assert modules.status_code == 200
    assert {"basic", "finance", "market", "touring", "venue", "ai"} <= {m["key"] for m in modules.json()["items"]}
    assert created.status_code == 201
    assert created.json()["key"] == "ticketing"
    assert addon.status_code == 201
    assert addon.json()["modules"] == ["ticketing"]
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Tickets"
    assert unknown_field.status_code == 400
    assert [p["key"] for p in packages.json()["items"]] == ["basic"]
    assert (await admin.delete("/admin/catalog/addons/ticketing", headers=headers)).status_code == 204


async def test_admin_calls_carry_admin_credentials(roles: Platform, admin: httpx.AsyncClient, admin_token: str) -> None:
    """Core accepts admin's service token for writes; auth's user token would not do there."""
    core_as_user = roles.client(Role.CORE)
    direct = await core_as_user.post("/internal/companies", json={"name": "X"}, headers=bearer(admin_token))
    assert direct.status_code == 401  # a user token is never a service credential
    via_admin = await admin.post("/admin/companies", json={"name": "X"}, headers=bearer(admin_token))
    assert via_admin.status_code == 201
