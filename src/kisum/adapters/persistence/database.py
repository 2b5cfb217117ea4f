"""Engines per role: PostgreSQL (asyncpg, one schema per role) or embedded SQLite (one file per role).

On PostgreSQL every role lives in its own schema, selected with ``search_path`` on each
connection, so table definitions stay schema-free and one database can serve every role.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

logger = logging.getLogger("kisum.db")

IDLE_PING_SECONDS = 1.0
_CHECKED_IN_AT = "kisum_checked_in_at"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, schema: str, *, pool_size: int = 10) -> AsyncEngine:
    """An engine whose connections all see ``schema`` (Postgres) or the role's file (SQLite)."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    # A fixed pool, no overflow: past ``pool_size`` concurrent users a request waits for a
    # connection instead of opening one that the pool closes again at checkin (connect, auth
    # and close per request is what a burst of overflow costs). No request holds two at once.
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_recycle=1800,
        connect_args={"server_settings": {"search_path": schema, "application_name": f"kisum-{schema}"}},
    )
    ping_idle_connections(engine)
    return engine


def ping_idle_connections(engine: AsyncEngine, *, idle_seconds: float = IDLE_PING_SECONDS) -> None:
    """Pre-ping a pooled connection at checkout only if it sat idle for ``idle_seconds``.

    ``pool_pre_ping`` pings at every checkout: one more round trip than the statement itself on
    a hot path. A connection checked in less than a second ago was just working; one that sat
    idle is pinged, and a dead one is replaced (``DisconnectionError`` makes the pool retry), so
    a database restart still costs no request. A disconnect on a busy connection invalidates
    the pool as usual.
    """

    @event.listens_for(engine.sync_engine, "checkin")
    def _checked_in(_: Any, record: Any) -> None:
        record.info[_CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _checkout(dbapi_connection: Any, record: Any, __: Any) -> None:
        checked_in_at = record.info.get(_CHECKED_IN_AT)
        if checked_in_at is None or time.monotonic() - checked_in_at < idle_seconds:
            return  # just connected, or in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):  # type: ignore[arg-type]
                raise DisconnectionError("stale pooled connection") from error
            raise


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def ensure_schema(engine: AsyncEngine, schema: str) -> None:
    """Create the role's schema on PostgreSQL; SQLite has one file per role instead."""
    if engine.dialect.name == "sqlite":
        return
    async with engine.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))


async def wait_for_database(engine: AsyncEngine, *, attempts: int = 8, first_delay: float = 0.25) -> None:
    """Retry the first connection with backoff: Postgres may be a few seconds late at boot."""
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            return
        except Exception as error:  # drivers raise many kinds; all mean "not yet"
            if attempt == attempts:
                raise
            logger.warning(
                "database not reachable yet, retrying",
                extra={"attempt": attempt, "delaySeconds": delay, "error": repr(error)},
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
