"""Alembic, driven from code: one migration history per role under ``migrations/<role>/``.

Upgrades run in one transaction (transactional DDL on PostgreSQL and SQLite), on the role's
schema. At start-up a role checks that its schema is at head and says what to run if not.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.persistence.database import create_engine, ensure_schema, is_sqlite, wait_for_database

VERSION_TABLE = "alembic_version"

# Alembic keeps ``op`` and ``context`` as process-wide proxies, so two roles migrating at the same
# moment in one process (``kisum dev`` starts them together) would trample each other: one at a time.
_ONE_MIGRATION_AT_A_TIME = asyncio.Lock()


class SchemaNotAtHead(RuntimeError):
    """The database is behind (or ahead of) the code; the message says what to run."""


def migrations_root() -> Path:
    """``migrations/`` of the source tree, or the copy packaged into the wheel."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "migrations"
        if (candidate / "core").is_dir() and parent.name != "kisum":
            return candidate
    spec = importlib.util.find_spec("kisum")
    if spec and spec.submodule_search_locations:
        packaged = Path(next(iter(spec.submodule_search_locations))) / "_migrations"
        if packaged.is_dir():
            return packaged
    raise FileNotFoundError("cannot find the migrations directory")


def roles_with_migrations() -> list[str]:
    root = migrations_root()
    return sorted(p.name for p in root.iterdir() if (p / "env.py").is_file())


def alembic_config(role: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_root() / role))
    config.set_main_option("version_table", VERSION_TABLE)
    config.attributes["role"] = role
    return config


def target_metadata(role: str) -> MetaData | None:
    """The role's tables, for autogenerate; migrations themselves never import app code."""
    try:
        module = importlib.import_module(f"kisum.adapters.persistence.{role}.tables")
    except ModuleNotFoundError:
        return None
    metadata = getattr(module, "metadata", None)
    return metadata if isinstance(metadata, MetaData) else None


def run_env(context: Any) -> None:
    """Body of every ``migrations/<role>/env.py``: always online, on the connection we pass in."""
    config = context.config
    connection: Connection | None = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through `kisum db upgrade`, not the alembic CLI")
    role = config.attributes["role"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata(role),
        version_table=VERSION_TABLE,
        transactional_ddl=True,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection, role: str, action: str, revision: str) -> None:
    config = alembic_config(role)
    config.attributes["connection"] = connection
    if action == "upgrade":
        command.upgrade(config, revision)
    else:
        command.downgrade(config, revision)


async def upgrade_engine(engine: AsyncEngine, role: str, revision: str = "head") -> None:
    await ensure_schema(engine, role)
    async with _ONE_MIGRATION_AT_A_TIME, engine.begin() as connection:
        await connection.run_sync(_run, role, "upgrade", revision)


async def downgrade_engine(engine: AsyncEngine, role: str, revision: str = "base") -> None:
    async with _ONE_MIGRATION_AT_A_TIME, engine.begin() as connection:
        await connection.run_sync(_run, role, "downgrade", revision)


async def upgrade(role: str, url: str, revision: str = "head") -> None:
    engine = create_engine(url, role, pool_size=1)
    try:
        await wait_for_database(engine)
        await upgrade_engine(engine, role, revision)
    finally:
        await engine.dispose()


def head_revision(role: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(role)).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE}).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(read)


async def assert_at_head(engine: AsyncEngine, role: str) -> None:
    head = head_revision(role)
    current = await current_revision(engine)
    if current != head:
        raise SchemaNotAtHead(
            f"the {role} database is at revision {current or 'empty'}, the code needs {head}: "
            f"run `kisum db upgrade {role}`"
        )


async def prepare_database(engine: AsyncEngine, role: str) -> None:
    """At start: wait for the server, then migrate an embedded SQLite file or check Postgres is at head.

    Embedded files belong to this process alone, so migrating them on start is safe; a shared
    Postgres is migrated on purpose with ``kisum db upgrade``.
    """
    await wait_for_database(engine)
    if engine.dialect.name == "sqlite":
        await upgrade_engine(engine, role)
    else:
        await assert_at_head(engine, role)


__all__ = [
    "SchemaNotAtHead",
    "alembic_config",
    "assert_at_head",
    "current_revision",
    "downgrade_engine",
    "head_revision",
    "is_sqlite",
    "migrations_root",
    "prepare_database",
    "roles_with_migrations",
    "run_env",
    "upgrade",
    "upgrade_engine",
]
