"""Running a module backend in tests: the real app on the test PostgreSQL, auth as the test double.

``ModuleHarness`` migrates the role's schema (through ``engine_for``, which also empties it after
the test), builds the app with the kit's ``auth_http`` pointed at ``AuthDouble``, and hands out
callers with just the grants a test needs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kisum.config import Role, Settings
from tests.support.auth_double import AuthDouble, Caller
from tests.support.postgres import EngineForRole

AppFactory = Callable[..., Litestar]


@dataclass
class ModuleHarness:
    client: AsyncTestClient[Litestar]
    auth: AuthDouble
    module: str

    def member(
        self, company_id: UUID | None = None, *, permissions: Iterable[str] = (), modules: Iterable[str] | None = None
    ) -> tuple[Caller, dict[str, str]]:
        """A caller in ``company_id`` (new if not given) with the module and these permissions."""
        company = company_id or uuid4()
        caller = self.auth.caller()
        self.auth.grant(
            caller,
            company,
            modules=list(modules) if modules is not None else [self.module],
            permissions=list(permissions),
        )
        return caller, caller.headers(company)

    async def request(self, method: str, path: str, headers: dict[str, str], **kwargs: Any) -> httpx.Response:
        return await self.client.request(method, path, headers=headers, **kwargs)


@asynccontextmanager
async def module_app(
    role: Role, create_app: AppFactory, postgres_url: str, engine_for: EngineForRole
) -> AsyncIterator[ModuleHarness]:
    await engine_for(role.value)  # migrated schema, emptied again after the test
    auth = AuthDouble()
    settings = Settings(role_database_urls={role: postgres_url}, access_cache_seconds=0.0)
    async with auth.client() as auth_http:
        app = create_app(settings, auth_http=auth_http)
        async with AsyncTestClient(app=app) as client:
            yield ModuleHarness(client, auth, role.value)
