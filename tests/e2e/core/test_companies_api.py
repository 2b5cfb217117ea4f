"""The company registry over HTTP: pending → approved → suspended."""

from __future__ import annotations

import uuid

import pytest
from litestar.testing import AsyncTestClient

pytestmark = pytest.mark.postgres


async def test_create_company_is_201_pending(client: AsyncTestClient) -> None:
    response = await client.post("/internal/companies", json={"name": "Acme Live"})
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Acme Live"
    assert body["status"] == "pending"
    assert body["entitlementVersion"] == 0
    assert uuid.UUID(body["id"])
    assert set(body) == {"id", "name", "status", "entitlementVersion", "createdAt", "updatedAt"}


async def test_blank_name_is_400(client: AsyncTestClient) -> None:
    response = await client.post("/internal/companies", json={"name": "   "})
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_NAME"


async def test_get_company(client: AsyncTestClient) -> None:
    created = (await client.post("/internal/companies", json={"name": "Acme"})).json()
    response = await client.get(f"/internal/companies/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created


async def test_unknown_company_is_404(client: AsyncTestClient) -> None:
    response = await client.get(f"/internal/companies/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["code"] == "COMPANY_NOT_FOUND"


@pytest.mark.parametrize(
    "path",
    [
        "/internal/companies/not-a-uuid",
        "/internal/companies/123/entitlements",
        "/internal/companies/zz/approve",
        "/internal/companies/zz/addons",
    ],
)
async def test_malformed_uuid_in_path_is_400(client: AsyncTestClient, path: str) -> None:
    method = "GET" if path.endswith(("uuid", "entitlements")) else "POST"
    response = await client.request(method, path, json={"addonKey": "finance", "action": "activate"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "INVALID_COMPANY_ID"


async def test_list_companies_is_paged_and_filtered(client: AsyncTestClient) -> None:
    ids = [(await client.post("/internal/companies", json={"name": f"C{i}"})).json()["id"] for i in range(3)]
    await client.post(f"/internal/companies/{ids[1]}/approve")
    page = (await client.get("/internal/companies", params={"limit": 2})).json()
    assert [c["id"] for c in page["items"]] == ids[:2]
    assert (page["page"], page["limit"], page["total"]) == (1, 2, 3)
    approved = (await client.get("/internal/companies", params={"status": "approved"})).json()
    assert [c["id"] for c in approved["items"]] == [ids[1]]
    bad = await client.get("/internal/companies", params={"status": "gone"})
    assert bad.status_code == 400


async def test_approve_then_suspend(client: AsyncTestClient) -> None:
    company_id = (await client.post("/internal/companies", json={"name": "Acme"})).json()["id"]
    approved = await client.post(f"/internal/companies/{company_id}/approve")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    suspended = await client.post(f"/internal/companies/{company_id}/suspend")
    assert suspended.status_code == 200
    assert suspended.json()["status"] == "suspended"
    assert suspended.json()["entitlementVersion"] == 2


async def test_illegal_transition_is_409(client: AsyncTestClient) -> None:
    company_id = (await client.post("/internal/companies", json={"name": "Acme"})).json()["id"]
    response = await client.post(f"/internal/companies/{company_id}/suspend")
    assert response.status_code == 409
    assert response.json()["code"] == "ILLEGAL_COMPANY_TRANSITION"
    await client.post(f"/internal/companies/{company_id}/approve")
    again = await client.post(f"/internal/companies/{company_id}/approve")
    assert again.status_code == 409


async def test_approving_unknown_company_is_404(client: AsyncTestClient) -> None:
    response = await client.post(f"/internal/companies/{uuid.uuid4()}/approve")
    assert response.status_code == 404
