"""Every core route needs a service token addressed to core, from a role allowed for it."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from litestar.testing import AsyncTestClient

from kisum.config import Role
from tests.e2e.core.conftest import ServiceCallers, approved_company

pytestmark = pytest.mark.postgres

ROUTES = [
    ("GET", "/internal/companies/{id}/entitlements", None),
    ("GET", "/internal/catalog/modules", None),
    ("POST", "/internal/catalog/modules", {"key": "crm"}),
    ("PATCH", "/internal/catalog/modules/ai", {"name": "AI"}),
    ("DELETE", "/internal/catalog/modules/ai", None),
    ("GET", "/internal/catalog/packages", None),
    ("POST", "/internal/catalog/packages", {"key": "pro", "modules": ["basic"]}),
    ("PATCH", "/internal/catalog/packages/basic", {"name": "Basic"}),
    ("DELETE", "/internal/catalog/packages/basic", None),
    ("GET", "/internal/catalog/addons", None),
    ("POST", "/internal/catalog/addons", {"key": "crm", "modules": ["ai"]}),
    ("PATCH", "/internal/catalog/addons/ai", {"name": "AI"}),
    ("DELETE", "/internal/catalog/addons/ai", None),
    ("GET", "/internal/companies", None),
    ("POST", "/internal/companies", {"name": "Acme"}),
    ("GET", "/internal/companies/{id}", None),
    ("POST", "/internal/companies/{id}/approve", None),
    ("POST", "/internal/companies/{id}/suspend", None),
    ("POST", "/internal/companies/{id}/basic", {"action": "activate"}),
    ("POST", "/internal/companies/{id}/addons", {"addonKey": "finance", "action": "activate"}),
]
READ_ROUTES = [route for route in ROUTES if route[0] == "GET"]
WRITE_ROUTES = [route for route in ROUTES if route[0] != "GET"]


async def _call(client: AsyncTestClient, method: str, path: str, body: object, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    path = path.replace("{id}", str(uuid.uuid4()))
    client.headers.pop("authorization", None)
    return await client.request(method, path, json=body, headers=headers)


def _user_style_token() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {"iss": "kisum-auth", "aud": "kisum", "sub": str(uuid.uuid4()), "sid": "s", "tv": 0}
    claims |= {"iat": now, "exp": now + 600, "jti": uuid.uuid4().hex}
    return jwt.encode(claims, key, algorithm="PS256", headers={"typ": "at+jwt", "kid": "k1"})


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
async def test_missing_token_is_401(client: AsyncTestClient, method: str, path: str, body: object) -> None:
    response = await _call(client, method, path, body, {})
    assert response.status_code == 401
    assert response.json()["code"] == "SERVICE_UNAUTHENTICATED"
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
async def test_not_allowed_caller_is_403(
    client: AsyncTestClient, callers: ServiceCallers, method: str, path: str, body: object
) -> None:
    response = await _call(client, method, path, body, callers.headers(Role.BASIC))
    assert response.status_code == 403
    assert response.json()["code"] == "SERVICE_NOT_ALLOWED"


@pytest.mark.parametrize(("method", "path", "body"), WRITE_ROUTES)
async def test_auth_may_not_write(
    client: AsyncTestClient, callers: ServiceCallers, method: str, path: str, body: object
) -> None:
    response = await _call(client, method, path, body, callers.headers(Role.AUTH))
    assert response.status_code == 403
    assert response.json()["code"] == "SERVICE_NOT_ALLOWED"


@pytest.mark.parametrize(
    "token",
    ["garbage", "a.b.c", "Bearer", "x" * 5000],
)
async def test_garbage_token_is_401(client: AsyncTestClient, token: str) -> None:
    response = await _call(client, "GET", "/internal/catalog/modules", None, {"authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["code"] == "SERVICE_UNAUTHENTICATED"


async def test_expired_token_is_401(client: AsyncTestClient, callers: ServiceCallers) -> None:
    past = int(time.time()) - 120
    token = callers.raw_token(Role.ADMIN, iat=past, exp=past + 30)
    response = await _call(client, "GET", "/internal/catalog/modules", None, {"authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["code"] == "SERVICE_UNAUTHENTICATED"


async def test_token_for_another_audience_is_401(client: AsyncTestClient, callers: ServiceCallers) -> None:
    token = callers.token(Role.ADMIN, audience=Role.AUTH)
    response = await _call(client, "GET", "/internal/catalog/modules", None, {"authorization": f"Bearer {token}"})
    assert response.status_code == 401


async def test_token_signed_by_an_untrusted_key_is_401(client: AsyncTestClient) -> None:
    impostor = ServiceCallers()  # same roles, other keys
    response = await _call(client, "GET", "/internal/catalog/modules", None, impostor.headers(Role.ADMIN))
    assert response.status_code == 401


async def test_user_access_token_is_not_a_service_credential(client: AsyncTestClient) -> None:
    token = _user_style_token()
    response = await _call(client, "GET", "/internal/catalog/modules", None, {"authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["code"] == "SERVICE_UNAUTHENTICATED"


@pytest.mark.parametrize("caller", [Role.AUTH, Role.ADMIN])
async def test_auth_and_admin_may_read_entitlements(
    client: AsyncTestClient, callers: ServiceCallers, caller: Role
) -> None:
    company_id = await approved_company(client)
    response = await _call(
        client, "GET", f"/internal/companies/{company_id}/entitlements", None, callers.headers(caller)
    )
    assert response.status_code == 200
    assert response.json()["companyId"] == company_id


@pytest.mark.parametrize("caller", [Role.AUTH, Role.ADMIN])
async def test_auth_and_admin_may_read_the_catalog(
    client: AsyncTestClient, callers: ServiceCallers, caller: Role
) -> None:
    response = await _call(client, "GET", "/internal/catalog/addons", None, callers.headers(caller))
    assert response.status_code == 200


async def test_admin_may_write(client: AsyncTestClient, callers: ServiceCallers) -> None:
    response = await _call(client, "POST", "/internal/catalog/modules", {"key": "crm"}, callers.headers(Role.ADMIN))
    assert response.status_code == 201


async def test_health_needs_no_service_token(client: AsyncTestClient) -> None:
    client.headers.pop("authorization", None)
    assert (await client.get("/health/live")).status_code == 200
    assert (await client.get("/health/ready")).status_code == 200
