"""What only the real PostgreSQL can show: locking, races, indexes, statement counts, cascades."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.persistence.auth.repositories import NotStored
from kisum.adapters.persistence.auth.tables import UserRow
from kisum.adapters.persistence.auth.uow import SqlAuthUnitOfWork
from kisum.adapters.persistence.errors import sqlstate_of
from kisum.domain.auth.errors import EmailTaken, InvalidRefreshToken, PermissionNotFound, RefreshTokenReused
from kisum.domain.auth.identity import DelegationPolicy, User
from kisum.domain.auth.sessions import Session
from tests.adapters.auth.conftest import NOW, SqlBackend, Stored, a_membership, a_session, a_user

pytestmark = pytest.mark.postgres

LOCK_NOT_AVAILABLE = "55P03"


@pytest.fixture
def pg(postgres_backend: SqlBackend) -> SqlBackend:
    return postgres_backend


@pytest.fixture
def pg_stored(pg: SqlBackend) -> Stored:
    return Stored(pg)


@contextmanager
def captured_statements(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)


async def _plan(engine: AsyncEngine, statement: str, parameters: Any) -> str:
    """The plan PostgreSQL would use if sequential scans were a last resort (tiny test tables)."""
    async with engine.connect() as connection:
        await connection.exec_driver_sql("SET enable_seqscan = off")
        try:
            rows = await connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
            return "\n".join(row[0] for row in rows)
        finally:
            await connection.exec_driver_sql("RESET enable_seqscan")


async def _count(engine: AsyncEngine, sql: str, **params: object) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(text(sql), params) or 0)


# --- the access hot path ---------------------------------------------------------------------


async def test_access_lookup_is_one_indexed_query_per_aggregate(pg: SqlBackend, pg_stored: Stored) -> None:
    user = await pg_stored.user()
    company = uuid.uuid4()
    membership = a_membership(user, company)
    membership.grant_modules(["basic"])
    membership.grant_permissions(["basic.*"])
    membership.set_delegation(DelegationPolicy.of(can_manage_members=True, modules=["basic"], permissions=[]))
    await pg_stored.membership(membership)
    for _ in range(3):  # neighbours, so an index has something to skip
        await pg_stored.membership(a_membership(await pg_stored.user(), company))

    async with pg.uow() as uow:
        with captured_statements(pg.engine) as user_statements:
            assert await uow.users.get(user.id) == user
        with captured_statements(pg.engine) as membership_statements:
            assert await uow.memberships.get_by_user(company, user.id) == membership

    assert len(user_statements) == 1
    assert len(membership_statements) == 2  # the membership with its policy, then every child row
    for statement, parameters in [*user_statements, *membership_statements]:
        plan = await _plan(pg.engine, statement, parameters)
        assert "Seq Scan" not in plan, plan
        assert "Index" in plan, plan


async def test_refresh_lookup_by_any_hash_is_one_indexed_query_with_the_user(pg: SqlBackend, pg_stored: Stored) -> None:
    user = await pg_stored.user()
    session = a_session(user, "old")
    for step, (old, new) in enumerate([("old", "h1"), ("h1", "h2"), ("h2", "new")]):
        session.rotate(presented_hash=old, new_hash=new, now=NOW + timedelta(minutes=step))
    await pg_stored.session(session)
    for _ in range(3):
        await pg_stored.session(a_session(user))

    async with pg.uow() as uow:
        with captured_statements(pg.engine) as statements:
            found = await uow.sessions.find_by_refresh_token_hash("old", for_update=True)
    assert found is not None
    assert found.user == user
    assert found.session == dataclasses.replace(session, previous_token_hashes=frozenset({"old"}))
    (lookup,) = statements  # the session with its user; the other previous hashes are not read
    plan = await _plan(pg.engine, *lookup)
    assert "Seq Scan" not in plan, plan
    assert "uq_sessions_refresh_token_hash" in plan
    assert "pk_session_refresh_hashes" in plan


async def test_rotation_after_a_locked_lookup_is_written_in_one_statement(pg: SqlBackend, pg_stored: Stored) -> None:
    user = await pg_stored.user()
    session = a_session(user, "old")
    session.rotate(presented_hash="old", new_hash="current", now=NOW)
    await pg_stored.session(session)

    async with pg.uow() as uow:
        found = await uow.sessions.find_by_refresh_token_hash("current", for_update=True)
        assert found is not None
        found.session.rotate(presented_hash="current", new_hash="next", now=NOW + timedelta(minutes=1))
        with captured_statements(pg.engine) as statements:
            await uow.sessions.save(found.session)
        await uow.commit()
    async with pg.uow() as uow:
        stored = await uow.sessions.get(session.id)
    assert len(statements) == 1  # the update, with the insert of the rotated hash in a CTE
    assert stored is not None
    assert (stored.refresh_token_hash, stored.previous_token_hashes) == ("next", {"old", "current"})
    assert stored.last_used_at == NOW + timedelta(minutes=1)


async def test_company_listing_uses_a_constant_number_of_statements(pg: SqlBackend, pg_stored: Stored) -> None:
    company = uuid.uuid4()
    for minute in range(6):
        membership = a_membership(await pg_stored.user(), company, at=NOW + timedelta(minutes=minute))
        membership.grant_modules(["basic", "finance"])
        membership.set_delegation(DelegationPolicy.of(can_manage_members=True, modules=["basic"], permissions=[]))
        await pg_stored.membership(membership)

    async with pg.uow() as uow:
        with captured_statements(pg.engine) as statements:
            page, total = await uow.memberships.list_by_company(company, offset=0, limit=6)
    assert (len(page), total) == (6, 6)
    assert all(m.module_grants == {"basic", "finance"} and m.delegation.can_manage_members for m in page)
    assert len(statements) == 3  # count, page, children: no query per membership


# --- locking and races -----------------------------------------------------------------------


@pytest.mark.parametrize(("for_update", "final_version"), [(True, 3), (False, 2)])
async def test_for_update_serialises_read_modify_write(
    pg: SqlBackend, pg_stored: Stored, for_update: bool, final_version: int
) -> None:
    """Two overlapping token-version bumps: with the lock both land; without it one is lost
    (the False case proves the test can tell the difference)."""
    user = await pg_stored.user()
    first_has_read = asyncio.Event()

    async def bump(*, first: bool) -> None:
        if not first:
            await first_has_read.wait()
        async with pg.uow() as uow:
            loaded = await uow.users.get(user.id, for_update=for_update)
            assert loaded is not None
            if first:
                first_has_read.set()
                await asyncio.sleep(0.3)  # the second transaction reads meanwhile (or waits)
            loaded.bump_token_version()
            await uow.users.save(loaded)
            await uow.commit()

    await asyncio.gather(bump(first=True), bump(first=False))

    async with pg.uow() as uow:
        stored = await uow.users.get(user.id)
    assert stored is not None
    assert stored.token_version == final_version


async def test_concurrent_membership_changes_both_land(pg: SqlBackend, pg_stored: Stored) -> None:
    user = await pg_stored.user()
    company = uuid.uuid4()
    membership = await pg_stored.membership(a_membership(user, company))

    async def grant(module: str, delay: float) -> None:
        await asyncio.sleep(delay)
        async with pg.uow() as uow:
            loaded = await uow.memberships.get(company, membership.id, for_update=True)
            assert loaded is not None
            await asyncio.sleep(0.2)
            loaded.grant_modules([module])
            await uow.memberships.save(loaded)
            await uow.commit()

    await asyncio.gather(grant("basic", 0), grant("finance", 0.05), grant("market", 0.1))

    async with pg.uow() as uow:
        stored = await uow.memberships.get(company, membership.id)
    assert stored is not None
    assert stored.module_grants == {"basic", "finance", "market"}
    assert stored.access_version == 4


async def test_concurrent_refresh_with_one_token_rotates_once_and_reports_reuse(
    pg: SqlBackend, pg_stored: Stored
) -> None:
    user = await pg_stored.user()
    session = await pg_stored.session(a_session(user, "current"))

    async def refresh(new_hash: str, delay: float) -> str:
        await asyncio.sleep(delay)
        async with pg.uow() as uow:
            found = await uow.sessions.find_by_refresh_token_hash("current", for_update=True)
            assert found is not None
            loaded = found.session
            await asyncio.sleep(0.2)
            try:
                loaded.rotate(presented_hash="current", new_hash=new_hash, now=NOW + timedelta(minutes=1))
            except (RefreshTokenReused, InvalidRefreshToken) as error:
                await uow.sessions.save(loaded)
                await uow.commit()
                return error.code
            await uow.sessions.save(loaded)
            await uow.commit()
            return "rotated"

    outcomes = list(await asyncio.gather(refresh("next-a", 0), refresh("next-b", 0.05)))

    assert outcomes == ["rotated", "REFRESH_TOKEN_REUSED"]
    async with pg.uow() as uow:
        stored = await uow.sessions.get(session.id)
    assert stored is not None
    assert stored.refresh_token_hash == "next-a"
    assert stored.is_revoked


async def test_locked_rows_make_other_lockers_wait(pg: SqlBackend, pg_stored: Stored) -> None:
    user = await pg_stored.user()
    company = uuid.uuid4()
    membership = a_membership(user, company)
    membership.grant_permissions(["basic.artist.view"])
    await pg_stored.membership(membership)
    session = await pg_stored.session(a_session(user, "locked-hash"))

    async def try_lock(action: str) -> str | None:
        async with pg.uow() as other:
            await other.session.execute(text("SET LOCAL lock_timeout = '150ms'"))
            try:
                if action == "membership":
                    await other.memberships.get(company, membership.id, for_update=True)
                elif action == "user":
                    await other.users.get_by_email(user.email, for_update=True)
                else:
                    await other.sessions.get(session.id, for_update=True)
            except DBAPIError as error:
                return sqlstate_of(error)
            return None

    async with pg.uow() as holder:
        assert len(await holder.memberships.list_with_permission_key("basic.artist.view")) == 1
        await holder.users.get(user.id, for_update=True)
        await holder.sessions.find_by_refresh_token_hash("locked-hash", for_update=True)
        blocked = [await try_lock(action) for action in ("membership", "user", "session")]
    free = [await try_lock(action) for action in ("membership", "user", "session")]

    assert blocked == [LOCK_NOT_AVAILABLE] * 3
    assert free == [None] * 3


async def test_racing_registrations_of_one_email_end_in_email_taken(pg: SqlBackend) -> None:
    winner, loser = a_user("race@example.com"), a_user("race@example.com")

    async def register(user: User, delay: float) -> str:
        await asyncio.sleep(delay)
        async with pg.uow() as uow:
            assert await uow.users.get_by_email("race@example.com") is None  # both checked first
            await asyncio.sleep(0.2)
            try:
                await uow.users.add(user)  # the second waits on the unique index, then fails
            except EmailTaken:
                return "taken"
            await uow.commit()
            return "created"

    assert list(await asyncio.gather(register(winner, 0), register(loser, 0.05))) == ["created", "taken"]
    async with pg.uow() as uow:
        assert await uow.users.get_by_email("race@example.com") == winner


async def test_commit_translates_a_late_unique_violation(pg: SqlBackend, pg_stored: Stored) -> None:
    existing = await pg_stored.user("late@example.com")

    async def add_pending_duplicate() -> None:
        async with pg.uow() as uow:
            # A pending ORM row flushed only by commit: the violation surfaces at commit.
            uow.session.add(
                UserRow(id=uuid.uuid4(), email=existing.email, name="Late", token_version=1, created_at=NOW)
            )
            await uow.commit()

    with pytest.raises(EmailTaken):
        await add_pending_duplicate()
    assert await _count(pg.engine, "SELECT count(*) FROM users") == 1


# --- rows on disk ----------------------------------------------------------------------------


async def test_membership_save_leaves_exactly_the_domain_child_rows(pg: SqlBackend, pg_stored: Stored) -> None:
    user = await pg_stored.user()
    company = uuid.uuid4()
    membership = a_membership(user, company)
    membership.grant_modules(["basic", "finance"])
    membership.grant_permissions(["basic.*", "finance.invoice.view"])
    membership.set_delegation(DelegationPolicy.of(can_manage_members=True, modules=["basic"], permissions=["basic.*"]))
    await pg_stored.membership(membership)

    membership.revoke_module("finance")
    membership.grant_permissions(["market.deal.create"])
    membership.revoke_permission("basic.*")
    async with pg.uow() as uow:
        await uow.memberships.save(membership)
        await uow.commit()

    async def rows(table: str, column: str) -> list[str]:
        async with pg.engine.connect() as connection:
            result = await connection.scalars(
                text(f"SELECT {column} FROM {table} WHERE membership_id = :id ORDER BY 1"), {"id": membership.id}
            )
            return list(result)

    assert await rows("membership_module_grants", "module") == ["basic"]
    assert await rows("membership_permissions", "pattern") == ["finance.invoice.view", "market.deal.create"]
    assert await rows("membership_delegated_modules", "module") == ["basic"]
    assert await rows("membership_delegated_permissions", "pattern") == ["basic.*"]

    membership.set_delegation(DelegationPolicy())
    async with pg.uow() as uow:
        await uow.memberships.save(membership)
        await uow.commit()
    assert await rows("membership_delegation_policies", "can_manage_members::text") == []
    assert await rows("membership_delegated_modules", "module") == []
    assert await rows("membership_delegated_permissions", "pattern") == []


async def test_rotated_hashes_are_child_rows_of_the_session(pg: SqlBackend, pg_stored: Stored) -> None:
    user = await pg_stored.user()
    session: Session = await pg_stored.session(a_session(user, "r1"))
    for step, (old, new) in enumerate([("r1", "r2"), ("r2", "r3")], start=1):
        session.rotate(presented_hash=old, new_hash=new, now=NOW + timedelta(minutes=step))
        async with pg.uow() as uow:
            await uow.sessions.save(session)
            await uow.commit()
    async with pg.engine.connect() as connection:
        hashes = list(
            await connection.scalars(
                text("SELECT token_hash FROM session_refresh_hashes WHERE session_id = :id ORDER BY 1"),
                {"id": session.id},
            )
        )
    assert hashes == ["r1", "r2"]


async def test_deleting_a_user_cascades_to_everything_it_owns(pg: SqlBackend, pg_stored: Stored) -> None:
    user = await pg_stored.user()
    membership = a_membership(user, uuid.uuid4())
    membership.grant_modules(["basic"])
    membership.grant_permissions(["basic.*"])
    membership.set_delegation(DelegationPolicy.of(can_manage_members=True, modules=["basic"], permissions=["basic.*"]))
    await pg_stored.membership(membership)
    session = a_session(user, "c1")
    session.rotate(presented_hash="c1", new_hash="c2", now=NOW)
    await pg_stored.session(session)

    async with pg.engine.begin() as connection:
        await connection.execute(text("DELETE FROM users WHERE id = :id"), {"id": user.id})

    for table in (
        "sessions",
        "session_refresh_hashes",
        "company_memberships",
        "membership_module_grants",
        "membership_permissions",
        "membership_delegation_policies",
        "membership_delegated_modules",
        "membership_delegated_permissions",
    ):
        assert await _count(pg.engine, f"SELECT count(*) FROM {table}") == 0, table


# --- programming errors ----------------------------------------------------------------------


async def test_saving_what_was_never_added_is_refused(pg: SqlBackend) -> None:
    ghost = a_user()
    async with pg.uow() as uow:
        with pytest.raises(NotStored):
            await uow.users.save(ghost)
        with pytest.raises(NotStored):
            await uow.memberships.save(a_membership(ghost, uuid.uuid4()))
        with pytest.raises(NotStored):
            await uow.sessions.save(a_session(ghost))


async def test_removing_an_unknown_permission_changes_nothing(pg: SqlBackend) -> None:
    async with pg.uow() as uow:
        before = await uow.permissions.version()
        with pytest.raises(PermissionNotFound):
            await uow.permissions.remove("basic.artist.view")
        assert await uow.permissions.version() == before


async def test_the_unit_of_work_can_be_entered_again(pg: SqlBackend) -> None:
    uow = SqlAuthUnitOfWork(pg.sessions)
    first, second = a_user(), a_user()
    async with uow:
        await uow.users.add(first)
        await uow.commit()
    async with uow:
        await uow.users.add(second)
        assert {u.id for u in await uow.users.list_by_ids([first.id, second.id])} == {first.id, second.id}
    async with uow:
        assert [u.id for u in await uow.users.list_by_ids([first.id, second.id])] == [first.id]
