"""Pooled connections are pinged only after sitting idle, and a dead idle one is replaced."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from kisum.adapters.persistence.database import IDLE_PING_SECONDS, create_engine

_PID = text("SELECT pg_backend_pid()")


async def test_a_dead_idle_connection_is_replaced_and_a_busy_one_reused(postgres_url: str) -> None:
    engine = create_engine(postgres_url, "public", pool_size=1)
    killer = create_engine(postgres_url, "public", pool_size=1)
    try:
        async with engine.connect() as connection:
            first = int((await connection.execute(_PID)).scalar_one())
        async with engine.connect() as connection:
            assert int((await connection.execute(_PID)).scalar_one()) == first  # used a moment ago: reused
        async with killer.connect() as connection:
            await connection.execute(text(f"SELECT pg_terminate_backend({first})"))
        await asyncio.sleep(IDLE_PING_SECONDS + 0.1)
        async with engine.connect() as connection:  # idle: pinged, found dead, replaced
            again = int((await connection.execute(_PID)).scalar_one())
        assert again != first
    finally:
        await engine.dispose()
        await killer.dispose()
