from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable

import pytest

from kisum.application.auth.commands import (
    CreateMembership,
    GrantModules,
    GrantPermissions,
    RevokeModule,
    RevokePermission,
    SetDelegationPolicy,
    UpdateMembership,
)
from kisum.application.auth.tenant_handlers import (
    CreateMembershipHandler,
    GrantModulesHandler,
    GrantPermissionsHandler,
    RevokeModuleHandler,
    RevokePermissionHandler,
    SetDelegationPolicyHandler,
    UpdateMembershipHandler,
)
from kisum.domain.auth.identity import DelegationPolicy, MembershipStatus, Role
from kisum.domain.errors import DomainError
from tests.application.auth.conftest import COMPANY, OTHER_COMPANY, PASSWORD, World, actor


def create_handler(w: World) -> CreateMembershipHandler:
    return CreateMembershipHandler(w.uow, w.reader, w.access_cache, w.hasher, w.clock, w.ids, w.settings)


def handler(cls: type, w: World):  # type: ignore[no-untyped-def, type-arg]
    return cls(w.uow, w.reader, w.access_cache, w.clock, w.ids)


async def refused(w: World, call: Callable[[], Awaitable[object]], code: str) -> DomainError:
    """The request fails with ``code`` and nothing at all is written."""
    before = copy.deepcopy(w.uow.state)
    commits = w.uow.commits
    with pytest.raises(DomainError) as caught:
        await call()
    assert caught.value.code == code
    assert w.uow.commits == commits
    assert w.uow.state == before
    return caught.value


@pytest.fixture
def owner(world: World):  # type: ignore[no-untyped-def]
    return world.user("owner@example.com")


@pytest.fixture
def owner_membership(world: World, owner):  # type: ignore[no-untyped-def]
    return world.member(owner, role=Role.OWNER)


# -- create membership --------------------------------------------------------------------------


async def test_an_owner_adds_a_new_user_as_member(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    result = await create_handler(world)(
        CreateMembership(
            actor=actor(owner), email=" New@Example.com", name="New Person", role=Role.MEMBER, password=PASSWORD
        )
    )
    assert result.user_created
    view = result.membership
    user = world.stored_user(view.user_id)
    assert (user.email, user.name, user.password_hash) == ("new@example.com", "New Person", f"v2${PASSWORD}")
    stored = world.stored_membership(view.membership_id)
    assert (stored.company_id, stored.role, stored.status) == (COMPANY, Role.MEMBER, MembershipStatus.ACTIVE)
    assert (view.modules, view.permissions) == ((), ())
    assert world.uow.commits == 1
    assert [e.action for e in world.uow.state.audit] == ["user.created", "membership.created"]
    assert world.uow.state.audit[-1].actor == f"user:{owner.id}"


async def test_adding_an_existing_user_never_touches_their_password_or_name(
    world: World, owner, owner_membership
) -> None:  # type: ignore[no-untyped-def]
    victim = world.user("victim@example.com")
    result = await create_handler(world)(
        CreateMembership(
            actor=actor(owner),
            email="victim@example.com",
            name="Renamed",
            role=Role.ADMIN,
            password="attacker-chosen-1",
        )
    )
    assert not result.user_created
    stored = world.stored_user(victim.id)
    assert (stored.password_hash, stored.name) == (f"v2${PASSWORD}", "Victim")
    assert world.hasher.hashed == []


async def test_a_new_user_without_password_cannot_log_in_yet(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    result = await create_handler(world)(
        CreateMembership(actor=actor(owner), email="later@example.com", name="Later", role=Role.MEMBER)
    )
    assert world.stored_user(result.membership.user_id).password_hash is None


async def test_an_existing_member_is_already_member(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    bob = world.user("bob@example.com")
    world.member(bob)
    await refused(
        world,
        lambda: create_handler(world)(
            CreateMembership(actor=actor(owner), email="BOB@example.com", name="Bob", role=Role.MEMBER)
        ),
        "ALREADY_MEMBER",
    )


async def test_a_weak_password_for_a_new_user_is_refused(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    await refused(
        world,
        lambda: create_handler(world)(
            CreateMembership(
                actor=actor(owner), email="n@example.com", name="N", role=Role.MEMBER, password="password1"
            )
        ),
        "WEAK_PASSWORD",
    )


async def test_creating_members_needs_can_manage_members(world: World) -> None:
    helper = world.user("helper@example.com")
    world.member(helper, role=Role.ADMIN, modules=["basic"], delegate_modules=["basic"])
    await refused(
        world,
        lambda: create_handler(world)(
            CreateMembership(actor=actor(helper), email="n@example.com", name="N", role=Role.MEMBER)
        ),
        "DELEGATION_EXCEEDED",
    )


async def test_only_an_owner_creates_an_owner(world: World) -> None:
    manager = world.user("manager@example.com")
    world.member(manager, role=Role.ADMIN, can_manage_members=True)
    await refused(
        world,
        lambda: create_handler(world)(
            CreateMembership(actor=actor(manager), email="n@example.com", name="N", role=Role.OWNER)
        ),
        "DELEGATION_EXCEEDED",
    )


async def test_a_non_member_cannot_create_memberships(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    await refused(
        world,
        lambda: create_handler(world)(
            CreateMembership(actor=actor(owner, OTHER_COMPANY), email="n@example.com", name="N", role=Role.MEMBER)
        ),
        "NOT_A_MEMBER",
    )


# -- grants -------------------------------------------------------------------------------------


async def test_an_owner_grants_modules_and_permissions(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    bob = world.member(world.user("bob@example.com"))
    await handler(GrantModulesHandler, world)(
        GrantModules(actor=actor(owner), membership_id=bob.id, modules=("basic", "finance"))
    )
    view = await handler(GrantPermissionsHandler, world)(
        GrantPermissions(
            actor=actor(owner), membership_id=bob.id, permissions=("basic.artist.*", "finance.budget.view")
        )
    )
    stored = world.stored_membership(bob.id)
    assert stored.module_grants == {"basic", "finance"}
    assert stored.permission_grants == {"basic.artist.*", "finance.budget.view"}
    assert stored.access_version == 3
    assert view.permissions == ("basic.artist.*", "finance.budget.view")
    assert world.uow.commits == 2
    assert [e.action for e in world.uow.state.audit] == ["membership.modules_granted", "membership.permissions_granted"]
    assert world.uow.state.audit[0].details["modules"] == ("basic", "finance")
    assert world.access_cache.invalidated_memberships == [(COMPANY, bob.id), (COMPANY, bob.id)]


async def test_an_owner_cannot_grant_a_module_the_company_does_not_have(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    bob = world.member(world.user("bob@example.com"))
    await refused(
        world,
        lambda: handler(GrantModulesHandler, world)(
            GrantModules(actor=actor(owner), membership_id=bob.id, modules=("market",))
        ),
        "DELEGATION_EXCEEDED",
    )


async def test_a_delegate_cannot_grant_a_wildcard_it_does_not_hold_and_nothing_is_written(world: World) -> None:
    lead = world.user("lead@example.com")
    world.member(
        lead,
        modules=["basic"],
        permissions=["basic.artist.view"],
        delegate_modules=["basic"],
        delegate_permissions=["basic.*"],
    )
    bob = world.member(world.user("bob@example.com"))
    await refused(
        world,
        lambda: handler(GrantPermissionsHandler, world)(
            GrantPermissions(actor=actor(lead), membership_id=bob.id, permissions=("basic.*",))
        ),
        "DELEGATION_EXCEEDED",
    )
    await handler(GrantPermissionsHandler, world)(
        GrantPermissions(actor=actor(lead), membership_id=bob.id, permissions=("basic.artist.view",))
    )
    assert world.stored_membership(bob.id).permission_grants == {"basic.artist.view"}


async def test_unknown_concrete_permissions_are_refused_but_wildcards_are_not(
    world: World, owner, owner_membership
) -> None:  # type: ignore[no-untyped-def]
    bob = world.member(world.user("bob@example.com"))
    error = await refused(
        world,
        lambda: handler(GrantPermissionsHandler, world)(
            GrantPermissions(
                actor=actor(owner), membership_id=bob.id, permissions=("basic.ghost.view", "basic.artist.view")
            )
        ),
        "UNKNOWN_PERMISSION",
    )
    assert "basic.ghost.view" in error.detail
    await handler(GrantPermissionsHandler, world)(
        GrantPermissions(actor=actor(owner), membership_id=bob.id, permissions=("basic.ghost.*",))
    )


@pytest.mark.parametrize("bad", ["basic.*.view", "*", "Basic.artist.view", "basic.artist"])
async def test_malformed_patterns_are_refused(world: World, owner, owner_membership, bad: str) -> None:  # type: ignore[no-untyped-def]
    bob = world.member(world.user("bob@example.com"))
    await refused(
        world,
        lambda: handler(GrantPermissionsHandler, world)(
            GrantPermissions(actor=actor(owner), membership_id=bob.id, permissions=(bad,))
        ),
        "INVALID_PERMISSION",
    )


async def test_revoking_grants(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    bob = world.member(world.user("bob@example.com"), modules=["basic"], permissions=["basic.*"])
    await handler(RevokeModuleHandler, world)(RevokeModule(actor=actor(owner), membership_id=bob.id, module="basic"))
    await handler(RevokePermissionHandler, world)(
        RevokePermission(actor=actor(owner), membership_id=bob.id, permission="basic.*")
    )
    stored = world.stored_membership(bob.id)
    assert (stored.module_grants, stored.permission_grants) == (frozenset(), frozenset())
    assert [e.action for e in world.uow.state.audit] == ["membership.module_revoked", "membership.permission_revoked"]


async def test_revoking_outside_ones_delegation_is_refused(world: World) -> None:
    lead = world.user("lead@example.com")
    world.member(
        lead, modules=["basic"], permissions=["basic.*"], delegate_modules=["basic"], delegate_permissions=["basic.*"]
    )
    bob = world.member(world.user("bob@example.com"), modules=["finance"], permissions=["finance.*"])
    await refused(
        world,
        lambda: handler(RevokeModuleHandler, world)(
            RevokeModule(actor=actor(lead), membership_id=bob.id, module="finance")
        ),
        "DELEGATION_EXCEEDED",
    )
    await refused(
        world,
        lambda: handler(RevokePermissionHandler, world)(
            RevokePermission(actor=actor(lead), membership_id=bob.id, permission="finance.*")
        ),
        "DELEGATION_EXCEEDED",
    )


async def test_nobody_changes_their_own_grants(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    await refused(
        world,
        lambda: handler(GrantModulesHandler, world)(
            GrantModules(actor=actor(owner), membership_id=owner_membership.id, modules=("basic",))
        ),
        "DELEGATION_EXCEEDED",
    )


async def test_a_membership_of_another_company_is_not_found(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    foreign = world.member(world.user("eve@example.com"), company=OTHER_COMPANY)
    await refused(
        world,
        lambda: handler(GrantModulesHandler, world)(
            GrantModules(actor=actor(owner), membership_id=foreign.id, modules=("basic",))
        ),
        "MEMBERSHIP_NOT_FOUND",
    )


async def test_a_non_member_learns_nothing_about_memberships(world: World) -> None:
    stranger = world.user("stranger@example.com")
    bob = world.member(world.user("bob@example.com"))
    await refused(
        world,
        lambda: handler(GrantModulesHandler, world)(
            GrantModules(actor=actor(stranger), membership_id=bob.id, modules=("basic",))
        ),
        "NOT_A_MEMBER",
    )


async def test_a_suspended_owner_has_no_authority(world: World) -> None:
    boss = world.user("boss@example.com")
    world.member(boss, role=Role.OWNER, status=MembershipStatus.SUSPENDED)
    bob = world.member(world.user("bob@example.com"))
    await refused(
        world,
        lambda: handler(GrantModulesHandler, world)(
            GrantModules(actor=actor(boss), membership_id=bob.id, modules=("basic",))
        ),
        "DELEGATION_EXCEEDED",
    )


async def test_grants_fail_closed_when_core_is_down(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    bob = world.member(world.user("bob@example.com"))
    world.gateway.down = True
    await refused(
        world,
        lambda: handler(GrantModulesHandler, world)(
            GrantModules(actor=actor(owner), membership_id=bob.id, modules=("basic",))
        ),
        "ENTITLEMENTS_UNAVAILABLE",
    )


async def test_the_actor_and_the_target_are_locked(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    bob = world.member(world.user("bob@example.com"))
    await handler(GrantModulesHandler, world)(
        GrantModules(actor=actor(owner), membership_id=bob.id, modules=("basic",))
    )
    locked = [key for kind, key in world.uow.locks if kind == "membership"]
    assert locked == sorted([owner_membership.id, bob.id])


# -- role and status ----------------------------------------------------------------------------


async def test_an_owner_suspends_and_promotes_members(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    bob = world.member(world.user("bob@example.com"))
    view = await handler(UpdateMembershipHandler, world)(
        UpdateMembership(actor=actor(owner), membership_id=bob.id, role=Role.ADMIN, status=MembershipStatus.SUSPENDED)
    )
    assert (view.role, view.status) == (Role.ADMIN, MembershipStatus.SUSPENDED)
    assert world.stored_membership(bob.id).access_version == 3
    actions = [e.action for e in world.uow.state.audit]
    assert actions == ["membership.role_changed", "membership.status_changed"]
    assert world.uow.state.audit[0].details == {"before": "member", "after": "admin"}


async def test_only_owners_change_owners(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    manager = world.user("manager@example.com")
    world.member(manager, role=Role.ADMIN, can_manage_members=True)
    for change in (
        UpdateMembership(actor=actor(manager), membership_id=owner_membership.id, status=MembershipStatus.SUSPENDED),
        UpdateMembership(actor=actor(manager), membership_id=owner_membership.id, role=Role.MEMBER),
    ):
        await refused(
            world, lambda change=change: handler(UpdateMembershipHandler, world)(change), "DELEGATION_EXCEEDED"
        )
    bob = world.member(world.user("bob@example.com"))
    await refused(
        world,
        lambda: handler(UpdateMembershipHandler, world)(
            UpdateMembership(actor=actor(manager), membership_id=bob.id, role=Role.OWNER)
        ),
        "DELEGATION_EXCEEDED",
    )


async def test_an_owner_cannot_demote_or_suspend_themselves(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    await refused(
        world,
        lambda: handler(UpdateMembershipHandler, world)(
            UpdateMembership(actor=actor(owner), membership_id=owner_membership.id, role=Role.MEMBER)
        ),
        "DELEGATION_EXCEEDED",
    )


async def test_an_empty_update_is_invalid(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    bob = world.member(world.user("bob@example.com"))
    await refused(
        world,
        lambda: handler(UpdateMembershipHandler, world)(UpdateMembership(actor=actor(owner), membership_id=bob.id)),
        "INVALID_INPUT",
    )


# -- delegation policy ------------------------------------------------------------------------


async def test_an_owner_sets_a_delegation_policy(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    bob = world.member(world.user("bob@example.com"))
    view = await handler(SetDelegationPolicyHandler, world)(
        SetDelegationPolicy(
            actor=actor(owner),
            membership_id=bob.id,
            can_manage_members=True,
            modules=("basic",),
            permissions=("basic.*",),
        )
    )
    assert world.stored_membership(bob.id).delegation == DelegationPolicy.of(
        can_manage_members=True, modules=["basic"], permissions=["basic.*"]
    )
    assert view.delegation.permissions == ("basic.*",)
    assert world.uow.state.audit[-1].action == "membership.delegation_set"


async def test_a_delegate_cannot_hand_on_more_than_it_may_delegate(world: World) -> None:
    lead = world.user("lead@example.com")
    world.member(
        lead,
        modules=["basic"],
        permissions=["basic.*"],
        delegate_modules=["basic"],
        delegate_permissions=["basic.artist.*"],
    )
    bob = world.member(world.user("bob@example.com"))
    for command in (
        SetDelegationPolicy(
            actor=actor(lead), membership_id=bob.id, can_manage_members=True, modules=(), permissions=()
        ),
        SetDelegationPolicy(
            actor=actor(lead), membership_id=bob.id, can_manage_members=False, modules=(), permissions=("basic.*",)
        ),
        SetDelegationPolicy(
            actor=actor(lead), membership_id=bob.id, can_manage_members=False, modules=("finance",), permissions=()
        ),
    ):
        await refused(
            world, lambda command=command: handler(SetDelegationPolicyHandler, world)(command), "DELEGATION_EXCEEDED"
        )


async def test_a_delegation_policy_with_an_unknown_key_is_refused(world: World, owner, owner_membership) -> None:  # type: ignore[no-untyped-def]
    bob = world.member(world.user("bob@example.com"))
    await refused(
        world,
        lambda: handler(SetDelegationPolicyHandler, world)(
            SetDelegationPolicy(
                actor=actor(owner),
                membership_id=bob.id,
                can_manage_members=False,
                modules=(),
                permissions=("basic.nope.view",),
            )
        ),
        "UNKNOWN_PERMISSION",
    )
