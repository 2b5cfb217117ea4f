"""A throwaway PostgreSQL database per test session, built by running the real migrations.

Between tests every role schema that a test touched is emptied and its migration seed data
(e.g. the default catalog) is put back, so each test starts from "freshly migrated".
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Awaitable, Callable

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.persistence.database import create_engine
from kisum.adapters.persistence.migrations import upgrade_engine

ADMIN_URL = os.environ.get("KISUM_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def create_database() -> str:
    name = f"kisum_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(_dsn(ADMIN_URL))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


async def drop_database(url: str) -> None:
    name = make_url(url).database
    connection = await asyncpg.connect(_dsn(ADMIN_URL))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def _seed_schema(role: str) -> str:
    return f"seed_{role}"


async def _tables(engine: AsyncEngine, schema: str) -> list[str]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :schema AND tablename <> 'alembic_version'"),
            {"schema": schema},
        )
        return [row[0] for row in rows]


async def snapshot_seed(engine: AsyncEngine, role: str) -> None:
    """Copy what the migrations inserted, so a reset can put it back."""
    seed = _seed_schema(role)
    async with engine.begin() as connection:
        await connection.execute(text(f'DROP SCHEMA IF EXISTS "{seed}" CASCADE'))
        await connection.execute(text(f'CREATE SCHEMA "{seed}"'))
        for table in await _tables(engine, role):
            await connection.execute(text(f'CREATE TABLE "{seed}"."{table}" AS SELECT * FROM "{role}"."{table}"'))


async def reset_to_seed(engine: AsyncEngine, role: str) -> None:
    tables = await _tables(engine, role)
    if not tables:
        return
    async with engine.begin() as connection:
        listed = ", ".join(f'"{role}"."{t}"' for t in tables)
        await connection.execute(text(f"TRUNCATE {listed} RESTART IDENTITY CASCADE"))
        await connection.execute(text("SET LOCAL session_replication_role = replica"))
        for table in tables:
            await connection.execute(
                text(f'INSERT INTO "{role}"."{table}" SELECT * FROM "{_seed_schema(role)}"."{table}"')
            )


class RoleDatabases:
    """Engines per role on the session's database, migrated on first use."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engines: dict[str, AsyncEngine] = {}
        self.touched: set[str] = set()

    async def engine(self, role: str) -> AsyncEngine:
        if role not in self._engines:
            engine = create_engine(self.url, role)
            await upgrade_engine(engine, role)
            await snapshot_seed(engine, role)
            self._engines[role] = engine
        self.touched.add(role)
        return self._engines[role]

    async def reset_touched(self) -> None:
        for role in sorted(self.touched):
            await reset_to_seed(self._engines[role], role)
        self.touched.clear()

    async def dispose(self) -> None:
        for engine in self._engines.values():
            await engine.dispose()


EngineForRole = Callable[[str], Awaitable[AsyncEngine]]
