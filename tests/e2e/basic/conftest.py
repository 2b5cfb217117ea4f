"""The Base app on the real PostgreSQL (migrated by ``engine_for``), in front of the auth double."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kisum.adapters.http.basic.controllers import ROUTE_HANDLERS
from kisum.adapters.http.common.enforcement import declared_permissions
from kisum.config import Settings
from kisum.ioc.basic import create_app
from tests.support.auth_double import AuthDouble, Caller
from tests.support.postgres import EngineForRole

ALL_PERMISSIONS = [key for key, _ in declared_permissions(ROUTE_HANDLERS)]
FILE_LIMIT = 2048


@dataclass
class BasicApi:
    client: AsyncTestClient[Litestar]
    double: AuthDouble
    data_dir: Path

    def member(self, *companies: UUID, permissions: list[str] | None = None) -> Caller:
        caller = self.double.caller()
        for company in companies:
            self.double.grant(caller, company, permissions=ALL_PERMISSIONS if permissions is None else permissions)
        return caller

    async def call(self, method: str, path: str, caller: Caller, company: UUID, **kwargs: Any) -> Any:
        return await self.client.request(method, path, headers=caller.headers(company), **kwargs)


@pytest.fixture
async def api(engine_for: EngineForRole, postgres_url: str, tmp_path: Path) -> AsyncIterator[BasicApi]:
    await engine_for("basic")
    double = AuthDouble()
    settings = Settings(
        database_url=postgres_url,
        data_dir=tmp_path,
        file_max_bytes=FILE_LIMIT,
        file_allowed_types=("text/plain", "application/pdf", "image/png"),
    )
    http = double.client()
    app = create_app(settings, auth_http=http)
    async with AsyncTestClient(app=app) as client:
        yield BasicApi(client, double, tmp_path)
    await http.aclose()


@pytest.fixture
def company() -> UUID:
    return uuid.uuid4()
