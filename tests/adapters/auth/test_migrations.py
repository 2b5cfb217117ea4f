"""Auth's migration history goes up from empty and back down to base, on PostgreSQL and SQLite,
and the schema it builds is the one the table definitions describe."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.persistence.auth.tables import metadata
from kisum.adapters.persistence.database import create_engine
from kisum.adapters.persistence.migrations import current_revision, downgrade_engine, head_revision, upgrade_engine

TABLES = {
    "signing_keys",
    "users",
    "sessions",
    "session_refresh_hashes",
    "company_memberships",
    "membership_module_grants",
    "membership_permissions",
    "membership_delegation_policies",
    "membership_delegated_modules",
    "membership_delegated_permissions",
    "permissions",
    "permission_catalog_version",
    "audit_log",
    "company_entitlement_versions",
}


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names())) - {"alembic_version"}


async def _round_trip(engine: AsyncEngine) -> None:
    assert await _tables(engine) == set()
    await upgrade_engine(engine, "auth")
    assert head_revision("auth") == "0003"
    assert await current_revision(engine) == "0003"
    assert await _tables(engine) == TABLES
    assert set(metadata.tables) == TABLES
    async with engine.connect() as connection:
        seeded = await connection.execute(text("SELECT id, version FROM permission_catalog_version"))
        assert [tuple(row) for row in seeded] == [(1, 1)]

    await downgrade_engine(engine, "auth", "0002")
    assert await _tables(engine) == TABLES - {"company_entitlement_versions"}
    await downgrade_engine(engine, "auth", "0001")
    assert await current_revision(engine) == "0001"
    assert await _tables(engine) == {"signing_keys"}

    await upgrade_engine(engine, "auth")  # and up again: the downgrade left nothing behind
    assert await _tables(engine) == TABLES
    await downgrade_engine(engine, "auth")
    assert await _tables(engine) == set()
    assert await current_revision(engine) is None


async def test_upgrade_and_downgrade_on_sqlite(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'auth.db'}", "auth")
    try:
        await _round_trip(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def private_schema_engine(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a schema of its own, so the shared ``auth`` schema is untouched."""
    schema = f"auth_migration_{uuid.uuid4().hex[:8]}"
    engine = create_engine(postgres_url, schema)
    async with engine.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield engine
    finally:
        async with engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await engine.dispose()


@pytest.mark.postgres
async def test_upgrade_and_downgrade_on_postgres(private_schema_engine: AsyncEngine) -> None:
    await _round_trip(private_schema_engine)


@pytest.mark.postgres
async def test_migrated_schema_matches_the_table_definitions(private_schema_engine: AsyncEngine) -> None:
    await upgrade_engine(private_schema_engine, "auth")
    async with private_schema_engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
        )
    assert differences == []
