"""Shared check for the module backends' migration histories: up, down, up again."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.persistence.database import create_engine
from kisum.adapters.persistence.migrations import current_revision, downgrade_engine, head_revision, upgrade_engine


async def table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names())) - {"alembic_version"}


async def assert_round_trip(engine: AsyncEngine, role: str, tables: set[str]) -> None:
    assert await current_revision(engine) == head_revision(role)
    assert await table_names(engine) == tables
    await downgrade_engine(engine, role)
    assert await current_revision(engine) is None
    assert await table_names(engine) == set()
    await upgrade_engine(engine, role)
    assert await current_revision(engine) == head_revision(role)
    assert await table_names(engine) == tables


async def assert_sqlite_round_trip(tmp_path: Path, role: str, tables: set[str]) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / f'{role}.db'}", role)
    try:
        await upgrade_engine(engine, role)
        await assert_round_trip(engine, role, tables)
    finally:
        await engine.dispose()
