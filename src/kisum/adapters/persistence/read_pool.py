"""A small asyncpg pool for the hottest reads, beside the ORM's pool (separate read and write roads).

A page of a list is one prepared statement and one round trip. Through the ORM session it also
pays a session, a pool checkout with its events, an isolation-level switch and its reset: about
three quarters of the list's CPU, measured with ``benchmarks/basic_inprocess.py``. Here a
statement, compiled once for PostgreSQL from the same SQLAlchemy Core ``Select``, goes to a
connection of this pool in autocommit (no transaction: each read sees the latest commit), with
asyncpg's own prepared-statement cache. Only for reads outside a Unit of Work's transaction;
PostgreSQL only (SQLite reads go through the session as before).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg
from sqlalchemy import Select
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.engine import make_url

from kisum.adapters.persistence.database import is_sqlite
from kisum.adapters.persistence.driver_read import compile_once

_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]


async def _nothing_to_reset(_: asyncpg.Connection) -> None:
    """Only prepared SELECTs in autocommit run here: no session state, lock or cursor to undo, so a
    connection goes back to the pool without asyncpg's reset query (a round trip per read)."""


class ReadPool:
    """Opened at the first read, closed with the app; ``size`` connections at most."""

    def __init__(self, url: str, schema: str, *, size: int = 5) -> None:
        self._dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._schema, self._size = schema, size
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    @classmethod
    def for_url(cls, url: str, schema: str, *, size: int = 5) -> ReadPool | None:
        """A read pool for a PostgreSQL URL; None for SQLite (its reads stay on the session)."""
        return None if is_sqlite(url) else cls(url, schema, size=size)

    async def _opened(self) -> asyncpg.Pool:
        if self._pool is None:
            async with self._opening:
                if self._pool is None:
                    self._pool = await asyncpg.create_pool(
                        self._dsn,
                        min_size=1,
                        max_size=self._size,
                        server_settings={"search_path": self._schema, "application_name": f"kisum-{self._schema}-read"},
                        reset=_nothing_to_reset,
                    )
        return self._pool

    async def fetch(self, statement: Select[Any], params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        sql, names, fixed = compile_once(statement, _DIALECT)
        values = {**fixed, **params}
        pool = await self._opened()
        async with pool.acquire() as connection:
            rows: Sequence[Sequence[Any]] = await connection.fetch(sql, *(values[name] for name in names))
        return rows

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
