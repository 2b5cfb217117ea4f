"""One Unit of Work entered block after block (as a request's bearer check and handler do): each
block is its own transaction and holds a pooled connection only while it runs; a reading block
runs without a transaction."""

from __future__ import annotations

import pytest

from kisum.adapters.persistence.auth.uow import SqlAuthUnitOfWork
from tests.adapters.auth.conftest import SqlBackend, a_user


@pytest.fixture(params=["postgres", "sqlite"])
def sql_backend(request: pytest.FixtureRequest) -> SqlBackend:
    backend: SqlBackend = request.getfixturevalue(f"{request.param}_backend")
    return backend


def _checked_out(backend: SqlBackend) -> int:
    return int(backend.engine.pool.checkedout())  # type: ignore[attr-defined]


async def test_blocks_keep_their_own_transactions_and_return_the_connection(sql_backend: SqlBackend) -> None:
    kept, dropped = a_user(), a_user()
    before = _checked_out(sql_backend)
    uow = SqlAuthUnitOfWork(sql_backend.sessions)
    async with uow:
        await uow.users.add(kept)
        assert _checked_out(sql_backend) == before + 1
        await uow.commit()
    assert _checked_out(sql_backend) == before  # not held between blocks
    async with uow:  # entered again, as the handler does after the bearer check
        assert await uow.users.get(kept.id) == kept
        await uow.users.add(dropped)
    async with uow:
        assert await uow.users.get(dropped.id) is None
    assert _checked_out(sql_backend) == before


async def test_a_failed_block_leaves_the_unit_of_work_usable(sql_backend: SqlBackend) -> None:
    user = a_user()
    uow = SqlAuthUnitOfWork(sql_backend.sessions)

    async def failing_handler() -> None:
        async with uow:
            await uow.users.add(a_user())
            raise RuntimeError("handler failed")

    with pytest.raises(RuntimeError):
        await failing_handler()
    async with uow:
        await uow.users.add(user)
        await uow.commit()
    async with sql_backend.uow() as other:
        assert await other.users.get(user.id) == user


async def test_a_reading_block_runs_without_a_transaction_and_the_next_block_gets_one_again(
    sql_backend: SqlBackend,
) -> None:
    # A write is the visible way to tell "no transaction": it is durable without commit().
    # (Handlers only read in such a block; commit() there is refused.)
    autocommitted, dropped = a_user(), a_user()
    uow = SqlAuthUnitOfWork(sql_backend.sessions)
    async with uow.reading():
        await uow.users.add(autocommitted)
        with pytest.raises(RuntimeError, match="read-only"):
            await uow.commit()
    async with uow:  # a transaction again (the pool reset the connection): left without commit, gone
        await uow.users.add(dropped)
    async with sql_backend.uow() as other:
        assert await other.users.get(autocommitted.id) == autocommitted
        assert await other.users.get(dropped.id) is None
