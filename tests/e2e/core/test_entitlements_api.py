"""Subscriptions and entitlements over HTTP, as admin changes them and auth reads them."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import AsyncTestClient

from tests.e2e.core.conftest import approved_company

pytestmark = pytest.mark.postgres


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def test_new_company_has_no_entitlements(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    body = (await client.get(f"/internal/companies/{company_id}/entitlements")).json()
    assert body == {
        "companyId": company_id,
        "entitlementVersion": 1,
        "basic": None,
        "addons": [],
        "enabledModules": [],
        "validUntil": None,
    }


async def test_seed_example_basic_active_plus_finance(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    basic = await client.post(f"/internal/companies/{company_id}/basic", json={"action": "activate"})
    assert basic.status_code == 200
    assert basic.json()["basic"] == {"packageKey": "basic", "status": "active", "startsAt": None, "endsAt": None}
    body = (
        await client.post(
            f"/internal/companies/{company_id}/addons", json={"addonKey": "finance", "action": "activate"}
        )
    ).json()
    assert body["enabledModules"] == ["basic", "finance"]
    assert body["addons"] == [
        {"addonKey": "finance", "status": "active", "startsAt": None, "endsAt": None, "modules": ["finance"]}
    ]
    assert body["entitlementVersion"] == 3
    assert (await client.get(f"/internal/companies/{company_id}/entitlements")).json() == body


async def test_seed_example_basic_inactive_with_finance_and_market(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    await client.post(f"/internal/companies/{company_id}/basic", json={"action": "activate"})
    for addon in ("finance", "market"):
        await client.post(f"/internal/companies/{company_id}/addons", json={"addonKey": addon, "action": "activate"})
    body = (await client.post(f"/internal/companies/{company_id}/basic", json={"action": "deactivate"})).json()
    assert body["enabledModules"] == ["finance", "market"]
    assert body["basic"]["status"] == "canceled"


async def test_each_change_bumps_the_version_by_one(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    versions = []
    for payload in (
        {"addonKey": "ai", "action": "activate"},
        {"addonKey": "ai", "action": "deactivate", "status": "past_due"},
        {"addonKey": "ai", "action": "activate", "status": "trialing"},
    ):
        response = await client.post(f"/internal/companies/{company_id}/addons", json=payload)
        versions.append(response.json()["entitlementVersion"])
    assert versions == [2, 3, 4]


async def test_window_gives_valid_until(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    now = datetime.now(UTC).replace(microsecond=0)
    ends = now + timedelta(days=30)
    body = (
        await client.post(
            f"/internal/companies/{company_id}/addons",
            json={
                "addonKey": "touring",
                "action": "activate",
                "startsAt": iso(now - timedelta(days=1)),
                "endsAt": iso(ends),
            },
        )
    ).json()
    assert body["enabledModules"] == ["touring"]
    assert body["validUntil"] == iso(ends)
    assert body["addons"][0]["endsAt"] == iso(ends)


async def test_future_subscription_is_not_yet_enabled(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    body = (
        await client.post(
            f"/internal/companies/{company_id}/basic", json={"action": "activate", "startsAt": iso(starts)}
        )
    ).json()
    assert body["enabledModules"] == []
    assert body["validUntil"] == iso(starts)


async def test_time_passing_ends_access_without_a_write(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    ends = datetime.now(UTC) + timedelta(seconds=1)
    await client.post(
        f"/internal/companies/{company_id}/addons",
        json={"addonKey": "venue", "action": "activate", "endsAt": ends.isoformat()},
    )
    await asyncio.sleep(max(0.0, (ends - datetime.now(UTC)).total_seconds()) + 0.05)
    body = (await client.get(f"/internal/companies/{company_id}/entitlements")).json()
    assert body["enabledModules"] == []
    assert body["validUntil"] is None


async def test_ends_before_starts_is_400(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    now = datetime.now(UTC)
    response = await client.post(
        f"/internal/companies/{company_id}/addons",
        json={"addonKey": "finance", "action": "activate", "startsAt": iso(now), "endsAt": iso(now - timedelta(1))},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_WINDOW"


async def test_naive_datetime_is_400(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    response = await client.post(
        f"/internal/companies/{company_id}/basic", json={"action": "activate", "endsAt": "2030-01-01T00:00:00"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"


async def test_unknown_addon_is_400(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    response = await client.post(
        f"/internal/companies/{company_id}/addons", json={"addonKey": "crm", "action": "activate"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "UNKNOWN_ADDON"


async def test_unknown_package_is_400(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    response = await client.post(
        f"/internal/companies/{company_id}/basic", json={"action": "activate", "packageKey": "gold"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "UNKNOWN_PACKAGE"


async def test_unknown_action_or_status_is_400(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    bad_action = await client.post(
        f"/internal/companies/{company_id}/addons", json={"addonKey": "ai", "action": "pause"}
    )
    assert bad_action.status_code == 400
    bad_status = await client.post(
        f"/internal/companies/{company_id}/basic", json={"action": "activate", "status": "x"}
    )
    assert bad_status.status_code == 400
    wrong_status = await client.post(
        f"/internal/companies/{company_id}/basic", json={"action": "activate", "status": "canceled"}
    )
    assert wrong_status.status_code == 400
    assert wrong_status.json()["code"] == "INVALID_STATUS"


async def test_activating_for_an_unknown_company_is_404(client: AsyncTestClient) -> None:
    response = await client.post(
        f"/internal/companies/{uuid.uuid4()}/addons", json={"addonKey": "finance", "action": "activate"}
    )
    assert response.status_code == 404
    assert response.json()["code"] == "COMPANY_NOT_FOUND"


async def test_activating_for_a_pending_company_is_409(client: AsyncTestClient) -> None:
    company_id = (await client.post("/internal/companies", json={"name": "Acme"})).json()["id"]
    response = await client.post(
        f"/internal/companies/{company_id}/addons", json={"addonKey": "finance", "action": "activate"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "COMPANY_NOT_APPROVED"


async def test_deactivating_a_never_held_addon_is_404(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    response = await client.post(
        f"/internal/companies/{company_id}/addons", json={"addonKey": "finance", "action": "deactivate"}
    )
    assert response.status_code == 404
    assert response.json()["code"] == "ADDON_NOT_SUBSCRIBED"


async def test_suspension_ends_every_module(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    await client.post(f"/internal/companies/{company_id}/basic", json={"action": "activate"})
    await client.post(f"/internal/companies/{company_id}/suspend")
    body = (await client.get(f"/internal/companies/{company_id}/entitlements")).json()
    assert body["enabledModules"] == []
    assert body["basic"]["status"] == "active"
    await client.post(f"/internal/companies/{company_id}/approve")
    assert (await client.get(f"/internal/companies/{company_id}/entitlements")).json()["enabledModules"] == ["basic"]


async def test_entitlements_of_unknown_company_are_404(client: AsyncTestClient) -> None:
    response = await client.get(f"/internal/companies/{uuid.uuid4()}/entitlements")
    assert response.status_code == 404


async def test_concurrent_changes_over_http_get_distinct_versions(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    responses = await asyncio.gather(
        *(
            client.post(f"/internal/companies/{company_id}/addons", json={"addonKey": key, "action": "activate"})
            for key in ("finance", "market", "touring", "venue", "ai")
        )
    )
    assert [r.status_code for r in responses] == [200] * 5
    assert sorted(r.json()["entitlementVersion"] for r in responses) == [2, 3, 4, 5, 6]
    final = (await client.get(f"/internal/companies/{company_id}/entitlements")).json()
    assert final["entitlementVersion"] == 6
    assert final["enabledModules"] == ["ai", "finance", "market", "touring", "venue"]
