"""Admin, auth and core on real ports; admin's calls to auth go through a transport that a test can
make fail (to prove that approving a company is safe to retry)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from kisum.config import Role
from kisum.ioc.admin import create_app as create_admin_app
from tests.e2e.auth.harness import ADMIN_EMAIL, ADMIN_PASSWORD, Platform, login, platform
from tests.support.postgres import EngineForRole


@dataclass
class FlakyTransport(httpx.AsyncBaseTransport):
    """The real network transport, except for the next failures a test arms.

    ``fail_before``: the request never reaches auth. ``fail_after``: auth handles it, then the
    answer is lost on the way back (the case that needs idempotency).
    """

    inner: httpx.AsyncBaseTransport = field(default_factory=httpx.AsyncHTTPTransport)
    fail_path: str = "/internal/owners"
    fail_before: int = 0
    fail_after: int = 0
    seen: list[httpx.Request] = field(default_factory=list)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if request.url.path == self.fail_path and self.fail_before > 0:
            self.fail_before -= 1
            raise httpx.ConnectError("injected: auth unreachable", request=request)
        response = await self.inner.handle_async_request(request)
        if request.url.path == self.fail_path and self.fail_after > 0:
            self.fail_after -= 1
            await response.aread()
            raise httpx.ReadError("injected: answer lost", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
async def flaky() -> AsyncIterator[FlakyTransport]:
    transport = FlakyTransport()
    yield transport
    await transport.aclose()


@pytest.fixture
async def roles(
    engine_for: EngineForRole,
    postgres_url: str,
    tmp_path: Path,
    redis_url: str,
    redis_prefix: str,
    flaky: FlakyTransport,
) -> AsyncIterator[Platform]:
    await engine_for("auth")
    await engine_for("core")
    async with platform(postgres_url, tmp_path, redis_url, redis_prefix) as running:
        await running.start(Role.CORE)
        await running.start(Role.AUTH)
        await running.start(Role.ADMIN, create_admin_app(running.settings, auth_transport=flaky))
        yield running


@pytest.fixture
def auth(roles: Platform) -> httpx.AsyncClient:
    return roles.client(Role.AUTH)


@pytest.fixture
def admin(roles: Platform) -> httpx.AsyncClient:
    return roles.client(Role.ADMIN)


@pytest.fixture
async def admin_token(auth: httpx.AsyncClient) -> str:
    token: str = (await login(auth, ADMIN_EMAIL, ADMIN_PASSWORD))["accessToken"]
    return token
