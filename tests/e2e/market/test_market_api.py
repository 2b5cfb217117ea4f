"""The market backend over HTTP: enforcement, campaigns, status life cycle, tenant isolation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest

from kisum.config import Role
from kisum.ioc.market import create_app
from tests.e2e.modules import ModuleHarness, module_app
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres

ALL = ["market.campaign.view", "market.campaign.create", "market.campaign.edit", "market.campaign.delete"]
CAMPAIGNS = "/api/market/campaigns"


@pytest.fixture
async def api(postgres_url: str, engine_for: EngineForRole) -> AsyncIterator[ModuleHarness]:
    async with module_app(Role.MARKET, create_app, postgres_url, engine_for) as harness:
        yield harness


def body(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "eventId": str(uuid4()),
        "name": "Summer push",
        "channel": "social",
        "startsAt": "2025-05-01T09:00:00+02:00",
        "endsAt": "2025-05-31T21:00:00+02:00",
        "budgetMinor": 250_000,
        "currency": "EUR",
    }
    values.update(overrides)
    return values


async def test_module_disabled_is_403_module_disabled(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=ALL, modules=["basic", "finance"])
    response = await api.client.get(CAMPAIGNS, headers=headers)
    assert response.status_code == 403
    assert response.json()["code"] == "MODULE_DISABLED"


async def test_missing_permission_is_403_permission_denied(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=["market.campaign.view"])
    response = await api.client.post(CAMPAIGNS, headers=headers, json=body())
    assert response.status_code == 403
    assert response.json()["code"] == "PERMISSION_DENIED"


async def test_campaign_crud_and_life_cycle(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=ALL)
    created = await api.client.post(CAMPAIGNS, headers=headers, json=body())
    assert created.status_code == 201, created.text
    campaign = created.json()
    assert campaign["status"] == "draft"
    assert campaign["startsAt"].startswith("2025-05-01T07:00:00")
    url = f"{CAMPAIGNS}/{campaign['id']}"

    for status in ("scheduled", "running"):
        moved = await api.client.put(url, headers=headers, json={"status": status})
        assert moved.status_code == 200
        assert moved.json()["status"] == status
    illegal = await api.client.put(url, headers=headers, json={"status": "draft"})
    assert illegal.status_code == 409
    assert illegal.json()["code"] == "ILLEGAL_CAMPAIGN_TRANSITION"

    finished = await api.client.put(url, headers=headers, json={"status": "finished"})
    assert finished.status_code == 200
    frozen = await api.client.put(url, headers=headers, json={"name": "Renamed"})
    assert frozen.status_code == 409
    assert frozen.json()["code"] == "CAMPAIGN_FINISHED"

    listed = await api.client.get(CAMPAIGNS, headers=headers, params={"status": "finished"})
    assert [item["id"] for item in listed.json()["items"]] == [campaign["id"]]
    assert (await api.client.delete(url, headers=headers)).status_code == 204
    assert (await api.client.get(url, headers=headers)).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"endsAt": "2025-04-01T00:00:00Z"}, "endsAt"),
        ({"channel": "radio"}, "channel"),
        ({"startsAt": "2025-05-01T09:00:00"}, "startsAt"),
        ({"budgetMinor": -5}, "budgetMinor"),
        ({"status": "running"}, "status"),
    ],
)
async def test_bad_input_is_400_naming_the_field(api: ModuleHarness, overrides: dict[str, object], field: str) -> None:
    _, headers = api.member(permissions=ALL)
    response = await api.client.post(CAMPAIGNS, headers=headers, json=body(**overrides))
    assert response.status_code == 400
    assert field in response.json()["detail"]


async def test_another_companys_campaign_is_404(api: ModuleHarness) -> None:
    _, owner = api.member(permissions=ALL)
    _, stranger = api.member(permissions=ALL)
    campaign = (await api.client.post(CAMPAIGNS, headers=owner, json=body())).json()
    url = f"{CAMPAIGNS}/{campaign['id']}"
    assert (await api.client.get(url, headers=stranger)).status_code == 404
    assert (await api.client.put(url, headers=stranger, json={"status": "scheduled"})).status_code == 404
    assert (await api.client.delete(url, headers=stranger)).status_code == 404
    assert (await api.client.get(CAMPAIGNS, headers=stranger)).json()["total"] == 0
    assert (await api.client.get(url, headers=owner)).json()["status"] == "draft"
