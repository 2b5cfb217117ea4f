"""Auth and core running on real ports over the test PostgreSQL and a private Redis prefix."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from kisum.config import Role
from tests.e2e.auth.harness import Platform, platform
from tests.support.postgres import EngineForRole


@pytest.fixture
async def roles(
    engine_for: EngineForRole, postgres_url: str, tmp_path: Path, redis_url: str, redis_prefix: str
) -> AsyncIterator[Platform]:
    await engine_for("auth")  # migrated; emptied again after the test
    await engine_for("core")
    async with platform(postgres_url, tmp_path, redis_url, redis_prefix) as running:
        await running.start(Role.CORE)
        await running.start(Role.AUTH)
        yield running


@pytest.fixture
def auth(roles: Platform) -> httpx.AsyncClient:
    return roles.client(Role.AUTH)
