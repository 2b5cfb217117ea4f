"""A request's Units of Work share one pooled connection (``RequestConnection``), each with a
transaction of its own: what one commits is durable, what another leaves uncommitted is gone,
and the connection is checked out once and returned when the request ends."""

from __future__ import annotations

import pytest

from kisum.adapters.persistence.auth.uow import SqlAuthUnitOfWork
from kisum.adapters.persistence.uow import RequestConnection
from tests.adapters.auth.conftest import SqlBackend, a_user


@pytest.fixture(params=["postgres", "sqlite"])
def sql_backend(request: pytest.FixtureRequest) -> SqlBackend:
    backend: SqlBackend = request.getfixturevalue(f"{request.param}_backend")
    return backend


async def test_units_of_work_of_a_request_keep_their_own_transactions(sql_backend: SqlBackend) -> None:
    kept, dropped = a_user(), a_user()
    connection = RequestConnection(sql_backend.engine)
    uow = SqlAuthUnitOfWork(sql_backend.sessions, connection)
    try:
        async with uow:
            await uow.users.add(kept)
            await uow.commit()
        async with uow:  # entered again, as the handler does after the bearer check
            assert await uow.users.get(kept.id) == kept
            await uow.users.add(dropped)
        async with uow:
            assert await uow.users.get(dropped.id) is None
    finally:
        await connection.close()
    async with sql_backend.uow() as other:  # a connection of its own sees only what was committed
        assert await other.users.get(kept.id) == kept
        assert await other.users.get(dropped.id) is None


async def test_request_connection_is_checked_out_once_and_returned_on_close(sql_backend: SqlBackend) -> None:
    pool = sql_backend.engine.pool
    before = pool.checkedout()  # type: ignore[attr-defined]
    connection = RequestConnection(sql_backend.engine)
    first = SqlAuthUnitOfWork(sql_backend.sessions, connection)
    second = SqlAuthUnitOfWork(sql_backend.sessions, connection)
    async with first:
        await first.users.get(a_user().id)
    async with second:
        await second.users.get(a_user().id)
        assert pool.checkedout() == before + 1  # type: ignore[attr-defined]
    assert pool.checkedout() == before + 1  # type: ignore[attr-defined]  # held until the request ends
    await connection.close()
    assert pool.checkedout() == before  # type: ignore[attr-defined]
    await connection.close()  # idempotent


async def test_a_failed_unit_of_work_leaves_the_request_connection_usable(sql_backend: SqlBackend) -> None:
    user = a_user()
    connection = RequestConnection(sql_backend.engine)
    uow = SqlAuthUnitOfWork(sql_backend.sessions, connection)

    async def failing_handler() -> None:
        async with uow:
            await uow.users.add(a_user())
            raise RuntimeError("handler failed")

    try:
        with pytest.raises(RuntimeError):
            await failing_handler()
        async with uow:
            await uow.users.add(user)
            await uow.commit()
    finally:
        await connection.close()
    async with sql_backend.uow() as other:
        assert await other.users.get(user.id) == user
