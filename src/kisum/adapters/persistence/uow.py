"""The SQL Unit of Work: one session, one transaction, and only ``commit`` makes it durable."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker


class RequestConnection:
    """One pooled connection for every Unit of Work of one request.

    Checked out (and pre-pinged) on first use and returned by ``close`` at the end of the
    request, so a request whose bearer check and handler each open a Unit of Work pays for one
    checkout, not two. Each Unit of Work still runs its own transaction on it (``BEGIN`` …
    ``COMMIT``/``ROLLBACK``): sharing the connection shares nothing uncommitted. Units of Work
    using it must not overlap in time (a request runs them one after the other).
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None

    async def acquire(self) -> AsyncConnection:
        if self._connection is None or self._connection.closed:
            self._connection = await self._engine.connect()
        return self._connection

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.close()


class SqlUnitOfWork:
    """Repositories of a role share this session; subclasses expose them as attributes.

    With a ``RequestConnection`` the session is bound to the request's connection (opened when
    the Unit of Work is entered); otherwise it checks a connection out of the engine's pool.
    """

    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], connection: RequestConnection | None = None
    ) -> None:
        self._session_factory = session_factory
        self._request_connection = connection
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            self._session = self._session_factory()
        return self._session

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        if self._session is not None:
            await self._session.rollback()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Self:
        if self._request_connection is not None and self._session is None:
            self._session = self._session_factory(bind=await self._request_connection.acquire())
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Nothing is committed implicitly: leaving the block without commit() discards the work.
        await self.rollback()
        await self.close()
