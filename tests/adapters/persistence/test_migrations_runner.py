"""The migration runner: every role's history applies from empty, even when roles start together."""

from __future__ import annotations

import asyncio
from pathlib import Path

from kisum.adapters.persistence.database import create_engine
from kisum.adapters.persistence.migrations import (
    assert_at_head,
    current_revision,
    head_revision,
    roles_with_migrations,
    upgrade_engine,
)


def test_every_role_has_a_migration_history() -> None:
    assert set(roles_with_migrations()) == {
        "auth",
        "core",
        "basic",
        "finance",
        "market",
        "touring",
        "venue",
        "ai",
    }


async def test_roles_migrating_at_the_same_moment_in_one_process_all_reach_head(tmp_path: Path) -> None:
    roles = roles_with_migrations()
    engines = {role: create_engine(f"sqlite+aiosqlite:///{tmp_path / role}.db", role) for role in roles}
    try:
        await asyncio.gather(*(upgrade_engine(engine, role) for role, engine in engines.items()))
        for role, engine in engines.items():
            assert await current_revision(engine) == head_revision(role)
            await assert_at_head(engine, role)
    finally:
        for engine in engines.values():
            await engine.dispose()


async def test_a_database_behind_the_code_says_what_to_run(tmp_path: Path) -> None:
    import pytest

    from kisum.adapters.persistence.migrations import SchemaNotAtHead

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'core.db'}", "core")
    try:
        with pytest.raises(SchemaNotAtHead, match="run `kisum db upgrade core`"):
            await assert_at_head(engine, "core")
    finally:
        await engine.dispose()
