"""``/auth/me/access`` through the real core, grants and delegation, caches and failures."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from kisum.config import Role
from tests.e2e.auth.harness import (
    MEMBER_PASSWORD,
    OWNER_PASSWORD,
    Platform,
    add_member,
    bearer,
    create_company,
    login,
    platform,
    private_redis,
)
from tests.support.postgres import EngineForRole

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


async def _access(auth: httpx.AsyncClient, token: str, company_id: str) -> dict[str, Any]:
    response = await auth.get("/auth/me/access", headers=bearer(token, company_id))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _owner_token(roles: Platform, auth: httpx.AsyncClient, **company: Any) -> tuple[str, str]:
    email = f"owner-{uuid.uuid4().hex[:8]}@acme.test"
    company_id, _ = await create_company(roles, owner_email=email, **company)
    return company_id, (await login(auth, email, OWNER_PASSWORD))["accessToken"]


@pytest.mark.parametrize(
    ("basic", "addons", "modules"),
    [(False, ("finance", "market"), ["finance", "market"]), (True, ("finance",), ["basic", "finance"])],
    ids=["basic inactive + finance, market", "basic active + finance"],
)
async def test_owner_access_is_the_enabled_modules(
    roles: Platform, auth: httpx.AsyncClient, basic: bool, addons: tuple[str, ...], modules: list[str]
) -> None:
    company_id, token = await _owner_token(roles, auth, basic=basic, addons=addons)

    access = await _access(auth, token, company_id)

    assert set(access) == {
        "userId",
        "companyId",
        "membershipId",
        "role",
        "modules",
        "permissions",
        "delegation",
        "entitlementVersion",
        "accessVersion",
        "validUntil",
    }
    assert access["companyId"] == company_id
    assert access["role"] == "owner"
    assert access["modules"] == modules
    assert access["permissions"] == sorted(access["permissions"])
    assert access["permissions"]
    assert {p.split(".")[0] for p in access["permissions"]} == set(modules)
    assert access["delegation"] == {"canManageMembers": True, "modules": modules, "permissions": access["permissions"]}
    assert access["validUntil"] is None
    assert isinstance(access["entitlementVersion"], int)


async def test_member_sees_entitlements_intersected_with_grants(roles: Platform, auth: httpx.AsyncClient) -> None:
    company_id, owner = await _owner_token(roles, auth, basic=True, addons=("finance",))
    owner_access = await _access(auth, owner, company_id)
    await add_member(
        auth,
        owner,
        company_id,
        "member@acme.test",
        modules=("finance",),
        permissions=("finance.*", "basic.artist.view"),
    )
    member = (await login(auth, "member@acme.test", MEMBER_PASSWORD))["accessToken"]

    access = await _access(auth, member, company_id)

    assert access["role"] == "member"
    assert access["modules"] == ["finance"]  # basic is paid for but not granted: basic.artist.view is out
    assert access["permissions"] == [p for p in owner_access["permissions"] if p.startswith("finance.")]
    assert access["delegation"] == {"canManageMembers": False, "modules": [], "permissions": []}


async def test_access_elsewhere_is_not_a_member_and_x_org_is_checked(roles: Platform, auth: httpx.AsyncClient) -> None:
    company_id, token = await _owner_token(roles, auth, basic=True)
    other_company, _ = await _owner_token(roles, auth, basic=True)

    elsewhere = await auth.get("/auth/me/access", headers=bearer(token, other_company))
    nowhere = await auth.get("/auth/me/access", headers=bearer(token, uuid.uuid4()))
    missing = await auth.get("/auth/me/access", headers=bearer(token))
    malformed = await auth.get("/auth/me/access", headers=bearer(token, "acme"))
    no_token = await auth.get("/auth/me/access", headers={"x-org": company_id})
    no_token_bad_org = await auth.get("/auth/me/access", headers={"x-org": "acme"})  # the token comes first

    assert (elsewhere.status_code, elsewhere.json()["code"]) == (403, "NOT_A_MEMBER")
    assert (nowhere.status_code, nowhere.json()["code"]) == (403, "NOT_A_MEMBER")
    assert (missing.status_code, missing.json()["code"]) == (400, "ORG_HEADER_MISSING")
    assert (malformed.status_code, malformed.json()["code"]) == (400, "ORG_HEADER_INVALID")
    assert no_token.status_code == 401
    assert no_token_bad_org.status_code == 401


async def test_a_grant_change_shows_in_the_very_next_answer(roles: Platform, auth: httpx.AsyncClient) -> None:
    company_id, owner = await _owner_token(roles, auth, basic=True, addons=("finance",))
    membership_id = await add_member(
        auth, owner, company_id, "m@acme.test", modules=("finance",), permissions=("finance.budget.view",)
    )
    member = (await login(auth, "m@acme.test", MEMBER_PASSWORD))["accessToken"]
    before = await _access(auth, member, company_id)
    assert before["modules"] == ["finance"]
    headers = bearer(owner, company_id)

    granted = await auth.post(
        f"/auth/tenant/memberships/{membership_id}/modules", json={"modules": ["basic"]}, headers=headers
    )
    assert granted.status_code == 200
    assert granted.json()["modules"] == ["basic", "finance"]
    assert (await _access(auth, member, company_id))["modules"] == ["basic", "finance"]

    revoked = await auth.delete(
        f"/auth/tenant/memberships/{membership_id}/permissions/finance.budget.view", headers=headers
    )
    assert revoked.status_code == 200
    assert (await _access(auth, member, company_id))["permissions"] == []

    suspended = await auth.patch(
        f"/auth/tenant/memberships/{membership_id}", json={"status": "suspended"}, headers=headers
    )
    assert suspended.status_code == 200
    assert suspended.json()["status"] == "suspended"
    after = await _access(auth, member, company_id)
    assert (after["modules"], after["permissions"]) == ([], [])


async def test_an_entitlement_change_in_core_shows_in_the_next_answer(roles: Platform, auth: httpx.AsyncClient) -> None:
    company_id, owner = await _owner_token(roles, auth, basic=True, addons=("finance",))
    before = await _access(auth, owner, company_id)
    assert before["modules"] == ["basic", "finance"]
    core = roles.service_client(Role.ADMIN, Role.CORE)

    changed = await core.post(
        f"/internal/companies/{company_id}/addons", json={"addonKey": "finance", "action": "deactivate"}
    )
    assert changed.status_code == 200

    after = await _access(auth, owner, company_id)
    assert after["modules"] == ["basic"]
    assert after["entitlementVersion"] == before["entitlementVersion"] + 1
    assert not any(p.startswith("finance.") for p in after["permissions"])


async def test_core_down_is_503_unless_a_valid_copy_is_cached(roles: Platform, auth: httpx.AsyncClient) -> None:
    seen_company, seen_owner = await _owner_token(roles, auth, basic=True)
    unseen_company, unseen_owner = await _owner_token(roles, auth, basic=True, addons=("finance",))
    expected = await _access(auth, seen_owner, seen_company)

    await roles.stop(Role.CORE)

    cached = await auth.get("/auth/me/access", headers=bearer(seen_owner, seen_company))
    unavailable = await auth.get("/auth/me/access", headers=bearer(unseen_owner, unseen_company))
    assert cached.status_code == 200
    assert cached.json()["modules"] == expected["modules"]
    assert unavailable.status_code == 503
    assert unavailable.json()["code"] == "ENTITLEMENTS_UNAVAILABLE"
    assert int(unavailable.headers["retry-after"]) >= 1

    await roles.start(Role.CORE)
    assert (await _access(auth, unseen_owner, unseen_company))["modules"] == ["basic", "finance"]


async def test_redis_down_changes_nothing_for_clients(
    engine_for: EngineForRole, postgres_url: str, tmp_path: Path, redis_prefix: str
) -> None:
    await engine_for("auth")
    await engine_for("core")
    with private_redis() as (url, redis_process):
        async with platform(postgres_url, tmp_path, url, redis_prefix) as roles:
            await roles.start(Role.CORE)
            await roles.start(Role.AUTH)
            auth = roles.client(Role.AUTH)
            company_id, owner = await _owner_token(roles, auth, basic=True, addons=("finance",))
            membership_id = await add_member(auth, owner, company_id, "m@acme.test", modules=("basic",))
            member = (await login(auth, "m@acme.test", MEMBER_PASSWORD))["accessToken"]
            before = await _access(auth, owner, company_id)

            redis_process.kill()
            redis_process.wait(timeout=10)

            assert await _access(auth, owner, company_id) == before
            assert (await _access(auth, member, company_id))["modules"] == ["basic"]
            granted = await auth.post(
                f"/auth/tenant/memberships/{membership_id}/modules",
                json={"modules": ["finance"]},
                headers=bearer(owner, company_id),
            )
            assert granted.status_code == 200
            assert (await _access(auth, member, company_id))["modules"] == ["basic", "finance"]
            again = await login(auth, "m@acme.test", MEMBER_PASSWORD)
            assert (await auth.post("/auth/logout", headers=bearer(again["accessToken"]))).status_code == 204
            assert (await auth.get("/auth/me", headers=bearer(again["accessToken"]))).status_code == 401
            assert (await auth.get("/health/ready")).status_code == 200


# --- tenant management and delegation --------------------------------------------------------


async def test_delegation_beyond_the_policy_is_refused_and_writes_nothing(
    roles: Platform, auth: httpx.AsyncClient
) -> None:
    company_id, owner = await _owner_token(roles, auth, basic=True, addons=("finance",))
    manager_id = await add_member(
        auth, owner, company_id, "manager@acme.test", modules=("finance",), permissions=("finance.budget.view",)
    )
    policy = await auth.put(
        f"/auth/tenant/memberships/{manager_id}/delegation",
        json={"canManageMembers": True, "modules": ["finance"], "permissions": ["finance.budget.view"]},
        headers=bearer(owner, company_id),
    )
    assert policy.status_code == 200, policy.text
    assert policy.json()["delegation"] == {
        "canManageMembers": True,
        "modules": ["finance"],
        "permissions": ["finance.budget.view"],
    }
    manager = (await login(auth, "manager@acme.test", MEMBER_PASSWORD))["accessToken"]
    worker_id = await add_member(auth, manager, company_id, "worker@acme.test", modules=("finance",))
    as_manager = bearer(manager, company_id)
    listing_before = (await auth.get("/auth/tenant/users", headers=bearer(owner, company_id))).json()

    refused = [
        await auth.post(
            f"/auth/tenant/memberships/{worker_id}/modules", json={"modules": ["basic"]}, headers=as_manager
        ),
        await auth.post(
            f"/auth/tenant/memberships/{worker_id}/permissions",
            json={"permissions": ["finance.budget.create"]},
            headers=as_manager,
        ),
        await auth.post(
            f"/auth/tenant/memberships/{manager_id}/modules", json={"modules": ["basic"]}, headers=as_manager
        ),
        await auth.put(
            f"/auth/tenant/memberships/{worker_id}/delegation",
            json={"canManageMembers": True, "modules": ["basic"], "permissions": []},
            headers=as_manager,
        ),
    ]

    assert [(r.status_code, r.json()["code"]) for r in refused] == [(403, "DELEGATION_EXCEEDED")] * 4
    assert (await auth.get("/auth/tenant/users", headers=bearer(owner, company_id))).json() == listing_before
    allowed = await auth.post(
        f"/auth/tenant/memberships/{worker_id}/permissions",
        json={"permissions": ["finance.budget.view"]},
        headers=as_manager,
    )
    assert allowed.status_code == 200
    assert allowed.json()["permissions"] == ["finance.budget.view"]


async def test_tenant_users_lists_members_with_grants_as_written(roles: Platform, auth: httpx.AsyncClient) -> None:
    company_id, owner = await _owner_token(roles, auth, basic=True, addons=("finance",))
    await add_member(
        auth, owner, company_id, "m@acme.test", modules=("finance",), permissions=("finance.*", "basic.artist.view")
    )
    member = (await login(auth, "m@acme.test", MEMBER_PASSWORD))["accessToken"]

    listed = await auth.get("/auth/tenant/users", headers=bearer(owner, company_id))
    as_member = await auth.get("/auth/tenant/users", headers=bearer(member, company_id))
    duplicate = await auth.post(
        "/auth/tenant/memberships",
        json={"email": "m@acme.test", "name": "M", "role": "member"},
        headers=bearer(owner, company_id),
    )

    assert listed.status_code == 200
    page = listed.json()
    assert (page["total"], page["page"], page["limit"]) == (2, 1, 20)
    member_row = next(item for item in page["items"] if item["email"] == "m@acme.test")
    assert {"membershipId", "userId", "email", "name", "role", "status", "modules", "permissions"} <= set(member_row)
    assert member_row["modules"] == ["finance"]
    assert member_row["permissions"] == ["basic.artist.view", "finance.*"]
    assert (as_member.status_code, as_member.json()["code"]) == (403, "DELEGATION_EXCEEDED")
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "ALREADY_MEMBER")


async def test_tenant_routes_validate_input(roles: Platform, auth: httpx.AsyncClient) -> None:
    company_id, owner = await _owner_token(roles, auth, basic=True)
    headers = bearer(owner, company_id)

    unknown_field = await auth.post(
        "/auth/tenant/memberships",
        json={"email": "a@acme.test", "name": "A", "role": "member", "x": 1},
        headers=headers,
    )
    bad_role = await auth.post(
        "/auth/tenant/memberships", json={"email": "a@acme.test", "name": "A", "role": "god"}, headers=headers
    )
    bad_id = await auth.post("/auth/tenant/memberships/nope/modules", json={"modules": ["basic"]}, headers=headers)
    unknown_membership = await auth.post(
        f"/auth/tenant/memberships/{uuid.uuid4()}/modules", json={"modules": ["basic"]}, headers=headers
    )
    unknown_permission = await auth.post(
        "/auth/tenant/memberships",
        json={"email": "b@acme.test", "name": "B", "role": "member", "password": "short"},
        headers=headers,
    )

    assert (unknown_field.status_code, unknown_field.json()["code"]) == (400, "VALIDATION_ERROR")
    assert (bad_role.status_code, bad_role.json()["code"]) == (400, "VALIDATION_ERROR")
    assert (bad_id.status_code, bad_id.json()["code"]) == (400, "INVALID_ID")
    assert (unknown_membership.status_code, unknown_membership.json()["code"]) == (404, "MEMBERSHIP_NOT_FOUND")
    assert (unknown_permission.status_code, unknown_permission.json()["code"]) == (400, "WEAK_PASSWORD")
