"""The core app on the real PostgreSQL, and service credentials of the roles that call it."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from litestar.testing import AsyncTestClient

from kisum.adapters.security.service_tokens import SERVICE_TOKEN_TYPE, ServiceTokenIssuer
from kisum.config import Role, Settings
from kisum.ioc.core import create_app
from tests.support.postgres import EngineForRole

CALLERS = (Role.AUTH, Role.ADMIN, Role.BASIC)
UNREACHABLE_AUTH = "http://127.0.0.1:9"  # nothing listens: notifications fail fast and stay queued


class ServiceCallers:
    """Ed25519 keys of the roles that call core; core trusts their public keys by configuration."""

    def __init__(self) -> None:
        self.keys = {role: Ed25519PrivateKey.generate() for role in CALLERS}
        self.issuers = {role: ServiceTokenIssuer(role, key) for role, key in self.keys.items()}

    def public_pems(self) -> dict[Role, str]:
        return {
            role: key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
            for role, key in self.keys.items()
        }

    def token(self, caller: Role, audience: Role = Role.CORE) -> str:
        return self.issuers[caller].token_for(audience)

    def headers(self, caller: Role = Role.ADMIN) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token(caller)}"}

    def raw_token(self, caller: Role, **claims: Any) -> str:
        now = int(time.time())
        payload = {
            "iss": caller.value,
            "sub": caller.value,
            "aud": Role.CORE.value,
            "iat": now,
            "exp": now + 30,
            "jti": uuid.uuid4().hex,
        }
        payload.update(claims)
        return jwt.encode(payload, self.keys[caller], algorithm="EdDSA", headers={"typ": SERVICE_TOKEN_TYPE})


@pytest.fixture(scope="session")
def callers() -> ServiceCallers:
    return ServiceCallers()


def core_settings(postgres_url: str, data_dir: Path, callers: ServiceCallers, auth_url: str) -> Settings:
    return Settings(
        database_url=postgres_url,
        data_dir=data_dir,
        role_service_public_keys=callers.public_pems(),
        role_urls={Role.AUTH: auth_url},
        internal_call_timeout_seconds=1.0,
    )


@pytest.fixture
async def client(
    engine_for: EngineForRole, postgres_url: str, tmp_path: Path, callers: ServiceCallers
) -> AsyncIterator[AsyncTestClient]:
    """The core app; ``engine_for("core")`` migrates the schema and resets it after the test."""
    await engine_for("core")
    app = create_app(core_settings(postgres_url, tmp_path, callers, UNREACHABLE_AUTH))
    async with AsyncTestClient(app=app) as test_client:
        test_client.headers.update(callers.headers(Role.ADMIN))
        yield test_client


async def approved_company(client: AsyncTestClient, name: str = "Acme") -> str:
    created = await client.post("/internal/companies", json={"name": name})
    assert created.status_code == 201, created.text
    company_id = created.json()["id"]
    approved = await client.post(f"/internal/companies/{company_id}/approve")
    assert approved.status_code == 200, approved.text
    return str(company_id)
