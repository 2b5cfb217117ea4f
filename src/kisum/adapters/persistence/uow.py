"""The SQL Unit of Work: one session, one transaction, and only ``commit`` makes it durable."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

_AUTOCOMMIT: dict[int, AsyncEngine] = {}
"""Per engine, the same engine with autocommit connections (one pool, made once)."""


def _autocommit(engine: AsyncEngine) -> AsyncEngine:
    found = _AUTOCOMMIT.get(id(engine))
    if found is None or found.sync_engine.engine is not engine.sync_engine:
        found = _AUTOCOMMIT[id(engine)] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return found


class SqlUnitOfWork:
    """Repositories of a role share this session; subclasses expose them as attributes.

    Each ``async with`` block checks a connection out of the pool at its first statement and
    returns it when the block ends, so a request holds a connection only while it talks to the
    database, not while it waits on Redis, another service or its client. The same instance can
    be entered again afterwards (a new session each time).
    """

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None
        self._reading = False

    def reading(self) -> Self:
        """The next ``async with`` block only reads: its statements run outside a transaction
        (autocommit, each sees the latest commit), which saves the ``BEGIN`` and ``ROLLBACK``
        round trips. For a block of one statement, or of reads that need no common snapshot.
        The session (and its connection) is made at the block's first statement, if any: a read
        that goes another road (``read_pool``) costs no session. The pool resets the connection's
        isolation level when it is returned."""
        self._reading = True
        return self

    @property
    def is_reading(self) -> bool:
        return self._reading

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            if self._reading:
                bind = self._session_factory.kw["bind"]
                self._session = self._session_factory(bind=_autocommit(bind))
            else:
                self._session = self._session_factory()
        return self._session

    async def commit(self) -> None:
        if self._reading:
            raise RuntimeError("commit() in a read-only Unit of Work")
        await self.session.commit()

    async def rollback(self) -> None:
        if self._session is not None:
            await self._session.rollback()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Nothing is committed implicitly: leaving the block without commit() discards the work.
        # A read-only block has no transaction to discard: closing returns its connection.
        reading, self._reading = self._reading, False
        if not reading:
            await self.rollback()
        await self.close()
