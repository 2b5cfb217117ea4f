"""Core's migration history goes up from empty and back down to base, on PostgreSQL and SQLite."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.persistence.database import create_engine
from kisum.adapters.persistence.migrations import (
    current_revision,
    downgrade_engine,
    head_revision,
    upgrade_engine,
)

TABLES = {
    "modules",
    "packages",
    "addons",
    "package_modules",
    "addon_modules",
    "companies",
    "company_subscriptions",
    "company_addons",
    "outbox_events",
}


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names())) - {"alembic_version"}


async def _round_trip(engine: AsyncEngine) -> None:
    assert await _tables(engine) == set()
    await upgrade_engine(engine, "core")
    assert await current_revision(engine) == head_revision("core")
    assert await _tables(engine) == TABLES
    async with engine.connect() as connection:
        modules = await connection.scalars(text("SELECT key FROM modules ORDER BY key"))
        assert list(modules) == ["ai", "basic", "finance", "market", "touring", "venue"]
        mappings = await connection.execute(text("SELECT addon_key, module_key FROM addon_modules ORDER BY 1"))
        assert [tuple(row) for row in mappings] == [
            ("ai", "ai"),
            ("finance", "finance"),
            ("market", "market"),
            ("touring", "touring"),
            ("venue", "venue"),
        ]
        package = await connection.execute(text("SELECT package_key, module_key FROM package_modules"))
        assert [tuple(row) for row in package] == [("basic", "basic")]
    await downgrade_engine(engine, "core")
    assert await _tables(engine) == set()
    assert await current_revision(engine) is None


async def test_upgrade_and_downgrade_on_sqlite(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'core.db'}", "core")
    try:
        await _round_trip(engine)
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_upgrade_and_downgrade_on_postgres(postgres_url: str) -> None:
    schema = f"core_migration_{uuid.uuid4().hex[:8]}"
    engine = create_engine(postgres_url, schema)
    try:
        async with engine.begin() as connection:  # a private schema, so the shared "core" is untouched
            await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        await _round_trip(engine)
    finally:
        async with engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await engine.dispose()
