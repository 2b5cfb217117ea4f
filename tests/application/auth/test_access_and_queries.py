from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import UUID

import pytest

from kisum.application.auth.commands import HandleEntitlementsChanged
from kisum.application.auth.platform_handlers import HandleEntitlementsChangedHandler
from kisum.application.auth.queries import GetMe, GetMyAccess, ListMySessions, ListPermissions, ListTenantUsers
from kisum.application.auth.query_handlers import (
    GetMeHandler,
    GetMyAccessHandler,
    ListMySessionsHandler,
    ListPermissionsHandler,
    ListTenantUsersHandler,
)
from kisum.application.auth.services import cache_ttl_seconds
from kisum.domain.auth.access import DelegationAccess
from kisum.domain.auth.identity import MembershipStatus, Role, User
from kisum.domain.auth.sessions import RevocationReason, Session
from kisum.domain.errors import DomainError
from tests.application.auth.conftest import CATALOG, COMPANY, OTHER_COMPANY, World, actor
from tests.application.auth.fakes import FakeAuthUnitOfWork


def my_access(w: World) -> GetMyAccessHandler:
    return GetMyAccessHandler(lambda: w.uow, w.reader, w.access_cache, w.clock, w.settings)


def asking(w: World, u: User, company: UUID = COMPANY) -> GetMyAccess:
    """The query of a verified access token of ``u`` on a live session, for ``company``."""
    session = w.session(u)
    return GetMyAccess(user_id=u.id, session_id=session.id, token_version=u.token_version, company_id=company)


async def test_seed_example_basic_inactive_with_finance_and_market_addons(world: World) -> None:
    world.entitle("finance", "market", version=4)
    alice = world.user("alice@example.com")
    m = world.member(alice, modules=["basic", "finance", "market"], permissions=["basic.*", "finance.*", "market.*"])
    access = await my_access(world)(asking(world, alice))
    assert access.modules == ("finance", "market")
    assert access.permissions == ("finance.budget.edit", "finance.budget.view", "market.deal.view")
    assert (access.user_id, access.company_id, access.membership_id) == (alice.id, COMPANY, m.id)
    assert access.entitlement_version == 4
    assert access.access_version == "4.1.1.1"
    assert world.uow.commits == 1  # the one write: the entitlement version it learnt from core
    assert world.uow.state.entitlement_versions == {COMPANY: 4}


async def test_seed_example_basic_active_with_finance_addon_for_the_owner(world: World) -> None:
    boss = world.user("boss@example.com")
    world.member(boss, role=Role.OWNER)
    access = await my_access(world)(asking(world, boss))
    assert access.modules == ("basic", "finance")
    assert access.permissions == tuple(sorted(k for k in CATALOG if not k.startswith("market.")))
    assert access.delegation.can_manage_members


async def test_not_a_member_is_forbidden_even_for_a_platform_admin(world: World) -> None:
    admin = world.user("admin@example.com", platform_admin=True)
    with pytest.raises(DomainError) as caught:
        await my_access(world)(asking(world, admin))
    assert caught.value.code == "NOT_A_MEMBER"


async def test_a_suspended_membership_gets_an_empty_access_model(world: World) -> None:
    bob = world.user("bob@example.com")
    world.member(bob, role=Role.OWNER, status=MembershipStatus.SUSPENDED)
    access = await my_access(world)(asking(world, bob))
    assert (access.modules, access.permissions, access.delegation) == ((), (), DelegationAccess())


async def test_a_dead_session_or_an_old_token_version_is_refused_before_membership(world: World) -> None:
    bob = world.user("bob@example.com")
    world.member(bob, role=Role.OWNER)
    revoked = asking(world, bob)
    world.uow.state.sessions[revoked.session_id].revoke(world.clock.now(), RevocationReason.LOGOUT)
    outdated = asking(world, bob)
    world.stored_user(bob.id).bump_token_version()
    elsewhere = asking(world, world.stored_user(bob.id), OTHER_COMPANY)
    for query, code in [(revoked, "UNAUTHENTICATED"), (outdated, "UNAUTHENTICATED"), (elsewhere, "NOT_A_MEMBER")]:
        with pytest.raises(DomainError) as caught:
            await my_access(world)(query)
        assert caught.value.code == code
    assert world.gateway.calls == 0  # refused before entitlements were asked for


async def test_core_down_is_entitlements_unavailable(world: World) -> None:
    bob = world.user("bob@example.com")
    world.member(bob)
    world.gateway.down = True
    with pytest.raises(DomainError) as caught:
        await my_access(world)(asking(world, bob))
    assert caught.value.code == "ENTITLEMENTS_UNAVAILABLE"


async def test_access_and_entitlements_are_cached_and_reused(world: World) -> None:
    bob = world.user("bob@example.com")
    world.member(bob, modules=["basic"])
    first = await my_access(world)(asking(world, bob))
    second = await my_access(world)(asking(world, bob))
    assert first == second
    assert world.gateway.calls == 1
    assert [ttl for _, ttl in world.access_cache.puts] == [30]
    assert [ttl for _, ttl in world.entitlements_cache.puts] == [30]


def with_fresh_uows(w: World) -> tuple[GetMyAccessHandler, list[FakeAuthUnitOfWork]]:
    """A handler that opens a new Unit of Work over the committed state per block, as in a process."""
    opened: list[FakeAuthUnitOfWork] = []

    def new_uow() -> FakeAuthUnitOfWork:
        opened.append(FakeAuthUnitOfWork(w.uow.state))
        return opened[-1]

    return GetMyAccessHandler(new_uow, w.reader, w.access_cache, w.clock, w.settings), opened


async def until_core_is_asked(w: World) -> None:
    """Let every caller run up to the shared build, which waits for core's answer."""
    for _ in range(10):
        await asyncio.sleep(0)
    assert w.gateway.calls == 1


async def test_concurrent_misses_share_one_build(world: World) -> None:
    world.entitle("basic", version=2)
    world.uow.state.entitlement_versions[COMPANY] = 2  # known: the build writes nothing
    bob = world.user("bob@example.com")
    world.member(bob, modules=["basic"], permissions=["basic.*"])
    query = asking(world, bob)
    handler, opened = with_fresh_uows(world)
    world.gateway.answering = asyncio.Event()
    callers = [asyncio.create_task(handler(query)) for _ in range(20)]
    await until_core_is_asked(world)
    world.gateway.answering.set()
    answers = await asyncio.gather(*callers)
    assert all(answer == answers[0] for answer in answers)
    assert answers[0].modules == ("basic",)
    assert world.gateway.calls == 1  # one call to core ...
    assert len(world.access_cache.puts) == 1  # ... one model built and cached ...
    assert len(opened) == 21  # ... one block per caller for its stamp, and one for the build
    assert sum(uow.read_only_blocks for uow in opened) == 20


async def test_a_failed_shared_build_reaches_every_caller_and_the_next_miss_tries_again(world: World) -> None:
    bob = world.user("bob@example.com")
    world.member(bob, modules=["basic"])
    query = asking(world, bob)
    handler, _ = with_fresh_uows(world)
    world.gateway.down = True
    world.gateway.answering = asyncio.Event()
    callers = [asyncio.create_task(handler(query)) for _ in range(5)]
    await until_core_is_asked(world)
    world.gateway.answering.set()
    failures = await asyncio.gather(*callers, return_exceptions=True)
    assert [getattr(f, "code", f) for f in failures] == ["ENTITLEMENTS_UNAVAILABLE"] * 5
    assert world.gateway.calls == 1
    world.gateway.down, world.gateway.answering = False, None
    assert (await handler(query)).modules == ("basic",)
    assert world.gateway.calls == 2


async def test_concurrent_misses_of_two_members_build_apart_but_share_the_call_to_core(world: World) -> None:
    world.entitle("basic", "finance", version=2)
    world.uow.state.entitlement_versions[COMPANY] = 2
    alice, bob = world.user("alice@example.com"), world.user("bob@example.com")
    world.member(alice, modules=["basic", "finance"], permissions=["finance.*"])
    world.member(bob, modules=["basic"])
    handler, _ = with_fresh_uows(world)
    world.gateway.answering = asyncio.Event()
    callers = [asyncio.create_task(handler(asking(world, u))) for u in (alice, bob, alice, bob)]
    await until_core_is_asked(world)
    world.gateway.answering.set()
    answers = await asyncio.gather(*callers)
    assert [a.user_id for a in answers] == [alice.id, bob.id, alice.id, bob.id]
    assert [a.modules for a in answers] == [("basic", "finance"), ("basic",)] * 2
    assert len(world.access_cache.puts) == 2  # one build per member ...
    assert world.gateway.calls == 1  # ... and one call to core for their company


async def test_cached_entitlements_older_than_the_known_version_are_not_used(world: World) -> None:
    world.entitle("basic", version=1)
    bob = world.user("bob@example.com")
    world.member(bob, modules=["basic", "finance"], permissions=["finance.*"])
    assert (await my_access(world)(asking(world, bob))).modules == ("basic",)
    # Core moved on and auth recorded it, but the cached entitlements were not dropped (an
    # invalidation lost, or a shared call to core that started before the change).
    world.entitle("basic", "finance", version=2)
    world.uow.state.entitlement_versions[COMPANY] = 2
    access = await my_access(world)(asking(world, bob))
    assert access.modules == ("basic", "finance")
    assert access.entitlement_version == 2
    assert world.gateway.calls == 2


async def test_a_hit_needs_only_the_stamp_once_the_entitlement_version_is_known(world: World) -> None:
    bob = world.user("bob@example.com")
    world.member(bob, modules=["basic"])
    query = asking(world, bob)
    first = await my_access(world)(query)
    reads_before = world.entitlements_cache.gets
    second = await my_access(world)(query)
    assert second == first
    assert world.entitlements_cache.gets == reads_before  # neither the entitlements cache ...
    assert world.gateway.calls == 1  # ... nor core
    assert world.uow.commits == 1
    assert world.uow.read_only_blocks == 2  # each call: the stamp, outside a transaction


async def test_core_ahead_of_the_known_version_moves_it_forward(world: World) -> None:
    world.uow.state.entitlement_versions[COMPANY] = 1  # a notification still on its way
    world.entitle("basic", version=3)
    bob = world.user("bob@example.com")
    world.member(bob, modules=["basic"])
    access = await my_access(world)(asking(world, bob))
    assert (access.modules, access.entitlement_version) == (("basic",), 3)
    assert world.uow.state.entitlement_versions == {COMPANY: 3}


async def test_caches_never_outlive_valid_until(world: World) -> None:
    world.entitle("basic", valid_until=world.clock.now() + timedelta(seconds=12.7))
    bob = world.user("bob@example.com")
    world.member(bob, modules=["basic"])
    access = await my_access(world)(asking(world, bob))
    assert access.valid_until == world.clock.now() + timedelta(seconds=12.7)
    assert [ttl for _, ttl in world.access_cache.puts] == [12]
    assert [ttl for _, ttl in world.entitlements_cache.puts] == [12]


def test_cache_ttl_is_the_smaller_of_config_and_valid_until(world: World) -> None:
    now = world.clock.now()
    assert cache_ttl_seconds(60, None, now) == 60
    assert cache_ttl_seconds(60, now + timedelta(seconds=5.9), now) == 5
    assert cache_ttl_seconds(60, now + timedelta(seconds=0.5), now) == 0
    assert cache_ttl_seconds(60, now - timedelta(seconds=10), now) == 0
    assert cache_ttl_seconds(0, None, now) == 0


async def test_a_grant_change_is_seen_at_once_despite_the_cache(world: World) -> None:
    bob = world.user("bob@example.com")
    m = world.member(bob, modules=["basic"])
    await my_access(world)(asking(world, bob))
    world.stored_membership(m.id).revoke_module("basic")  # access_version bumps
    access = await my_access(world)(asking(world, bob))
    assert access.modules == ()


async def test_entitlements_changed_drops_cached_entitlements_and_access(world: World) -> None:
    bob = world.user("bob@example.com")
    world.member(bob, modules=["basic", "finance"])
    await my_access(world)(asking(world, bob))
    world.entitle("basic", version=2)
    await HandleEntitlementsChangedHandler(world.uow, world.entitlements_cache, world.access_cache)(
        HandleEntitlementsChanged(company_id=COMPANY, entitlement_version=2)
    )
    assert world.access_cache.invalidated_companies == [COMPANY]
    assert world.access_cache.entries == {}
    assert world.uow.state.entitlement_versions == {COMPANY: 2}  # what every auth process reads next
    access = await my_access(world)(asking(world, bob))
    assert (access.modules, access.entitlement_version) == (("basic",), 2)


async def test_a_stale_entitlements_fetch_cannot_be_cached_after_invalidation(world: World) -> None:
    old = world.entitle("basic", "finance", version=1)
    await HandleEntitlementsChangedHandler(world.uow, world.entitlements_cache, world.access_cache)(
        HandleEntitlementsChanged(company_id=COMPANY, entitlement_version=2)
    )
    await world.entitlements_cache.put(old, 30)
    assert await world.entitlements_cache.get(COMPANY) is None


# -- GetMe, sessions, tenant users, permissions ---------------------------------------------------


async def test_get_me_lists_memberships(world: World) -> None:
    alice = world.user("alice@example.com")
    a = world.member(alice, role=Role.ADMIN)
    b = world.member(alice, company=OTHER_COMPANY, status=MembershipStatus.SUSPENDED)
    me = await GetMeHandler(world.uow)(GetMe(user_id=alice.id))
    assert (me.email, me.is_platform_admin) == ("alice@example.com", False)
    assert [(m.membership_id, m.role, m.status) for m in me.memberships] == [
        (a.id, Role.ADMIN, MembershipStatus.ACTIVE),
        (b.id, Role.MEMBER, MembershipStatus.SUSPENDED),
    ]


async def test_list_my_sessions_shows_live_sessions_and_marks_the_current_one(world: World) -> None:
    alice = world.user("alice@example.com")
    sessions = []
    for n in range(3):
        s = Session.start(
            session_id=world.ids.new_id(),
            user_id=alice.id,
            refresh_token_hash=f"h{n}",
            now=world.clock.now(),
            policy=world.settings.session_policy,
            user_agent=f"UA{n}",
            ip="10.0.0.1",
        )
        world.uow.state.sessions[s.id] = s
        sessions.append(s)
        world.clock.advance(minutes=1)
    sessions[0].revoke(world.clock.now(), RevocationReason.LOGOUT)
    page = await ListMySessionsHandler(world.uow, world.clock)(
        ListMySessions(user_id=alice.id, current_session_id=sessions[2].id, limit=1)
    )
    assert (page.total, page.limit, len(page.items)) == (2, 1, 1)
    assert page.items[0].id == sessions[2].id
    assert page.items[0].current


async def test_list_tenant_users_shows_grants_as_written(world: World) -> None:
    boss = world.user("boss@example.com")
    world.member(boss, role=Role.OWNER)
    bob = world.user("bob@example.com")
    world.member(bob, modules=["finance", "basic"], permissions=["finance.*", "basic.artist.view"])
    world.member(world.user("eve@example.com"), company=OTHER_COMPANY)
    page = await ListTenantUsersHandler(world.uow)(ListTenantUsers(actor=actor(boss)))
    assert page.total == 2
    row = next(i for i in page.items if i.user_id == bob.id)
    assert (row.email, row.modules, row.permissions) == (
        "bob@example.com",
        ("basic", "finance"),
        ("basic.artist.view", "finance.*"),
    )


async def test_list_tenant_users_is_refused_to_plain_members(world: World) -> None:
    bob = world.user("bob@example.com")
    world.member(bob, modules=["basic"])
    with pytest.raises(DomainError) as caught:
        await ListTenantUsersHandler(world.uow)(ListTenantUsers(actor=actor(bob)))
    assert caught.value.code == "DELEGATION_EXCEEDED"


@pytest.mark.parametrize(("page", "limit"), [(0, 20), (1, 0), (1, 101)])
async def test_paging_is_validated(world: World, page: int, limit: int) -> None:
    with pytest.raises(DomainError) as caught:
        await ListPermissionsHandler(world.uow)(ListPermissions(page=page, limit=limit))
    assert caught.value.code == "VALIDATION_ERROR"


async def test_list_permissions_is_sorted_and_paged(world: World) -> None:
    page = await ListPermissionsHandler(world.uow)(ListPermissions(page=2, limit=3))
    assert page.total == len(CATALOG)
    assert [p.key for p in page.items] == sorted(CATALOG)[3:6]
