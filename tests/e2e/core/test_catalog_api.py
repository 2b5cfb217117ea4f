"""Catalog CRUD over HTTP: modules, packages and addons (which carry their modules)."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from tests.e2e.core.conftest import approved_company

pytestmark = pytest.mark.postgres


async def test_default_catalog_is_listed(client: AsyncTestClient) -> None:
    modules = (await client.get("/internal/catalog/modules")).json()
    assert [m["key"] for m in modules["items"]] == ["ai", "basic", "finance", "market", "touring", "venue"]
    assert (modules["page"], modules["limit"], modules["total"]) == (1, 20, 6)
    packages = (await client.get("/internal/catalog/packages")).json()
    assert [(p["key"], p["modules"]) for p in packages["items"]] == [("basic", ["basic"])]
    addons = (await client.get("/internal/catalog/addons")).json()
    assert [(a["key"], a["modules"]) for a in addons["items"]] == [
        ("ai", ["ai"]),
        ("finance", ["finance"]),
        ("market", ["market"]),
        ("touring", ["touring"]),
        ("venue", ["venue"]),
    ]
    assert set(addons["items"][0]) == {"key", "name", "description", "modules", "createdAt", "updatedAt"}


async def test_lists_are_paged(client: AsyncTestClient) -> None:
    body = (await client.get("/internal/catalog/modules", params={"page": 2, "limit": 4})).json()
    assert [m["key"] for m in body["items"]] == ["touring", "venue"]
    assert body["total"] == 6


@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"page": 0}, {"page": "x"}])
async def test_bad_paging_is_400(client: AsyncTestClient, params: dict[str, object]) -> None:
    response = await client.get("/internal/catalog/modules", params=params)
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"


async def test_module_create_update_delete(client: AsyncTestClient) -> None:
    created = await client.post("/internal/catalog/modules", json={"key": "crm", "name": "CRM", "description": "x"})
    assert created.status_code == 201
    assert created.json()["key"] == "crm"
    patched = await client.patch("/internal/catalog/modules/crm", json={"description": None})
    assert patched.status_code == 200
    assert patched.json()["description"] is None
    assert patched.json()["name"] == "CRM"
    deleted = await client.delete("/internal/catalog/modules/crm")
    assert deleted.status_code == 204
    assert (await client.patch("/internal/catalog/modules/crm", json={"name": "y"})).status_code == 404


async def test_duplicate_module_is_409(client: AsyncTestClient) -> None:
    response = await client.post("/internal/catalog/modules", json={"key": "finance"})
    assert response.status_code == 409
    assert response.json()["code"] == "MODULE_EXISTS"


@pytest.mark.parametrize("key", ["Finance", "fin.ance", "1x", ""])
async def test_malformed_key_is_400(client: AsyncTestClient, key: str) -> None:
    response = await client.post("/internal/catalog/modules", json={"key": key})
    assert response.status_code == 400


async def test_unknown_field_is_400(client: AsyncTestClient) -> None:
    response = await client.post("/internal/catalog/modules", json={"key": "crm", "color": "red"})
    assert response.status_code == 400
    assert "color" in response.json()["detail"]


async def test_deleting_a_module_in_use_is_409(client: AsyncTestClient) -> None:
    response = await client.delete("/internal/catalog/modules/finance")
    assert response.status_code == 409
    assert response.json()["code"] == "MODULE_IN_USE"


async def test_package_with_unknown_module_is_400(client: AsyncTestClient) -> None:
    response = await client.post("/internal/catalog/packages", json={"key": "pro", "modules": ["basic", "crm"]})
    assert response.status_code == 400
    assert response.json()["code"] == "UNKNOWN_MODULE"
    assert "crm" in response.json()["detail"]


async def test_package_without_modules_is_400(client: AsyncTestClient) -> None:
    response = await client.post("/internal/catalog/packages", json={"key": "pro", "modules": []})
    assert response.status_code == 400


async def test_package_create_patch_delete(client: AsyncTestClient) -> None:
    created = await client.post(
        "/internal/catalog/packages", json={"key": "pro", "name": "Pro", "modules": ["finance", "basic"]}
    )
    assert created.status_code == 201
    assert created.json()["modules"] == ["basic", "finance"]
    patched = await client.patch("/internal/catalog/packages/pro", json={"modules": ["basic"]})
    assert patched.json()["modules"] == ["basic"]
    assert (await client.delete("/internal/catalog/packages/pro")).status_code == 204
    assert (await client.delete("/internal/catalog/packages/pro")).status_code == 404


async def test_duplicate_package_is_409(client: AsyncTestClient) -> None:
    response = await client.post("/internal/catalog/packages", json={"key": "basic", "modules": ["basic"]})
    assert response.status_code == 409
    assert response.json()["code"] == "PACKAGE_EXISTS"


async def test_addon_create_patch_delete(client: AsyncTestClient) -> None:
    await client.post("/internal/catalog/modules", json={"key": "crm"})
    created = await client.post("/internal/catalog/addons", json={"key": "crm", "modules": ["crm"]})
    assert created.status_code == 201
    patched = await client.patch("/internal/catalog/addons/crm", json={"name": "CRM", "modules": ["crm", "ai"]})
    assert patched.status_code == 200
    assert patched.json()["modules"] == ["ai", "crm"]
    assert patched.json()["name"] == "CRM"
    assert (await client.delete("/internal/catalog/addons/crm")).status_code == 204


async def test_patch_addon_with_unknown_module_is_400(client: AsyncTestClient) -> None:
    response = await client.patch("/internal/catalog/addons/finance", json={"modules": ["nope"]})
    assert response.status_code == 400
    assert response.json()["code"] == "UNKNOWN_MODULE"


async def test_deleting_a_held_addon_is_409(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    await client.post(f"/internal/companies/{company_id}/addons", json={"addonKey": "venue", "action": "activate"})
    response = await client.delete("/internal/catalog/addons/venue")
    assert response.status_code == 409
    assert response.json()["code"] == "ADDON_IN_USE"


async def test_changing_an_addon_changes_its_holders_entitlements(client: AsyncTestClient) -> None:
    company_id = await approved_company(client)
    before = (
        await client.post(f"/internal/companies/{company_id}/addons", json={"addonKey": "ai", "action": "activate"})
    ).json()
    await client.patch("/internal/catalog/addons/ai", json={"modules": ["ai", "market"]})
    after = (await client.get(f"/internal/companies/{company_id}/entitlements")).json()
    assert after["enabledModules"] == ["ai", "market"]
    assert after["entitlementVersion"] == before["entitlementVersion"] + 1


async def test_bad_page_and_limit_are_both_named(client: AsyncTestClient) -> None:
    response = await client.get("/internal/catalog/modules", params={"page": 0, "limit": 101})
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert sorted(error["field"] for error in response.json()["errors"]) == ["limit", "page"]
