"""Shared fixtures: the real PostgreSQL and Redis on 127.0.0.1, never mocks of them."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis

from tests.support.postgres import EngineForRole, RoleDatabases, create_database, drop_database

REDIS_URL = os.environ.get("KISUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
async def postgres_url() -> AsyncIterator[str]:
    """URL of a database created for this test session and dropped after it."""
    url = await create_database()
    try:
        yield url
    finally:
        await drop_database(url)


@pytest.fixture(scope="session")
async def role_databases(postgres_url: str) -> AsyncIterator[RoleDatabases]:
    databases = RoleDatabases(postgres_url)
    yield databases
    await databases.dispose()


@pytest.fixture
async def engine_for(role_databases: RoleDatabases) -> AsyncIterator[EngineForRole]:
    """``await engine_for("core")``: a migrated engine whose schema is reset after the test."""
    yield role_databases.engine
    await role_databases.reset_touched()


@pytest.fixture
def redis_url() -> str:
    return REDIS_URL


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """A key prefix private to one test; its keys are deleted afterwards."""
    prefix = f"test:{uuid.uuid4().hex[:12]}:"
    yield prefix
    client = redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=prefix + "*", count=500)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()
