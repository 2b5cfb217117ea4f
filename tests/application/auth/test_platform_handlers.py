from __future__ import annotations

import pytest

from kisum.application.auth.commands import (
    BootstrapPlatformAdmin,
    CreateOwnerMembership,
    CreatePermission,
    DeletePermission,
    ServiceCaller,
    UserCaller,
)
from kisum.application.auth.platform_handlers import (
    BootstrapPlatformAdminHandler,
    CreateOwnerMembershipHandler,
    CreatePermissionHandler,
    DeletePermissionHandler,
)
from kisum.domain.auth.identity import DelegationPolicy, Role
from kisum.domain.errors import DomainError
from tests.application.auth.conftest import COMPANY, PASSWORD, World

ADMIN = ServiceCaller(role="admin")


def owner_handler(w: World) -> CreateOwnerMembershipHandler:
    return CreateOwnerMembershipHandler(w.uow, w.hasher, w.clock, w.ids, w.settings)


def owner_command(email: str = "owner@example.com", password: str | None = PASSWORD) -> CreateOwnerMembership:
    return CreateOwnerMembership(company_id=COMPANY, email=email, name="Owner", password=password, caller=ADMIN)


async def test_approving_a_company_creates_its_owner(world: World) -> None:
    result = await owner_handler(world)(owner_command())
    assert result.created
    membership = world.stored_membership(result.membership_id)
    assert (membership.role, membership.company_id, membership.user_id) == (Role.OWNER, COMPANY, result.user_id)
    assert world.stored_user(result.user_id).password_hash == f"v2${PASSWORD}"
    assert world.uow.commits == 1
    assert [e.action for e in world.uow.state.audit] == ["user.created", "membership.owner_created"]
    assert world.uow.state.audit[-1].actor == "service:admin"


async def test_creating_the_owner_is_idempotent(world: World) -> None:
    first = await owner_handler(world)(owner_command())
    again = await owner_handler(world)(owner_command(email="OWNER@example.com", password=None))
    assert (again.user_id, again.membership_id, again.created) == (first.user_id, first.membership_id, False)
    assert world.uow.commits == 1


async def test_an_existing_user_becomes_owner_without_their_password_changing(world: World) -> None:
    known = world.user("known@example.com")
    result = await owner_handler(world)(owner_command(email="known@example.com", password="another-password-9"))
    assert result.user_id == known.id
    assert world.stored_user(known.id).password_hash == f"v2${PASSWORD}"


async def test_a_new_owner_needs_a_good_password(world: World) -> None:
    for command, code in (
        (owner_command(password=None), "PASSWORD_REQUIRED"),
        (owner_command(password="qwerty123"), "WEAK_PASSWORD"),
    ):
        with pytest.raises(DomainError) as caught:
            await owner_handler(world)(command)
        assert caught.value.code == code
    assert world.uow.commits == 0


async def test_an_existing_non_owner_member_is_not_silently_promoted(world: World) -> None:
    world.member(world.user("member@example.com"))
    with pytest.raises(DomainError) as caught:
        await owner_handler(world)(owner_command(email="member@example.com"))
    assert caught.value.code == "ALREADY_MEMBER"
    assert world.uow.commits == 0


# -- catalog --------------------------------------------------------------------------------------


async def test_a_platform_admin_creates_a_permission_and_the_catalog_version_moves(world: World) -> None:
    admin = world.user("admin@example.com", platform_admin=True)
    version = world.uow.state.catalog_version
    created = await CreatePermissionHandler(world.uow, world.clock, world.ids)(
        CreatePermission(caller=UserCaller(admin.id), key="venue.room.view", description=" Rooms ")
    )
    assert (created.key, created.description) == ("venue.room.view", "Rooms")
    assert "venue.room.view" in world.uow.state.permissions
    assert world.uow.state.catalog_version == version + 1
    assert world.uow.state.audit[-1].actor == f"user:{admin.id}"


@pytest.mark.parametrize(
    ("key", "code"), [("basic.artist.view", "PERMISSION_EXISTS"), ("venue.*", "INVALID_PERMISSION")]
)
async def test_creating_a_bad_or_duplicate_permission_is_refused(world: World, key: str, code: str) -> None:
    with pytest.raises(DomainError) as caught:
        await CreatePermissionHandler(world.uow, world.clock, world.ids)(CreatePermission(caller=ADMIN, key=key))
    assert caught.value.code == code
    assert world.uow.commits == 0


async def test_only_platform_admins_change_the_catalog(world: World) -> None:
    boss = world.user("boss@example.com")
    world.member(boss, role=Role.OWNER)
    with pytest.raises(DomainError) as caught:
        await CreatePermissionHandler(world.uow, world.clock, world.ids)(
            CreatePermission(caller=UserCaller(boss.id), key="venue.room.view")
        )
    assert caught.value.code == "PLATFORM_ADMIN_REQUIRED"
    with pytest.raises(DomainError):
        await DeletePermissionHandler(world.uow, world.access_cache, world.clock, world.ids)(
            DeletePermission(caller=UserCaller(boss.id), key="basic.artist.view")
        )
    assert world.uow.commits == 0


async def test_deleting_a_permission_drops_its_concrete_grants(world: World) -> None:
    bob = world.member(world.user("bob@example.com"), permissions=["basic.artist.view", "basic.artist.*"])
    lead = world.member(world.user("lead@example.com"))
    lead.delegation = DelegationPolicy.of(can_manage_members=False, modules=[], permissions=["basic.artist.view"])
    await DeletePermissionHandler(world.uow, world.access_cache, world.clock, world.ids)(
        DeletePermission(caller=ADMIN, key="basic.artist.view")
    )
    assert "basic.artist.view" not in world.uow.state.permissions
    assert world.stored_membership(bob.id).permission_grants == {"basic.artist.*"}
    assert world.stored_membership(lead.id).delegation.permissions == frozenset()
    assert world.uow.commits == 1
    assert {m for _, m in world.access_cache.invalidated_memberships} == {bob.id, lead.id}


async def test_deleting_an_unknown_permission_is_not_found(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        await DeletePermissionHandler(world.uow, world.access_cache, world.clock, world.ids)(
            DeletePermission(caller=ADMIN, key="basic.nope.view")
        )
    assert caught.value.code == "PERMISSION_NOT_FOUND"


# -- bootstrap ------------------------------------------------------------------------------------


def bootstrap(w: World) -> BootstrapPlatformAdminHandler:
    return BootstrapPlatformAdminHandler(w.uow, w.hasher, w.clock, w.ids, w.settings)


async def test_bootstrap_creates_the_platform_admin_once(world: World) -> None:
    first = await bootstrap(world)(BootstrapPlatformAdmin(email="root@example.com", password=PASSWORD))
    again = await bootstrap(world)(BootstrapPlatformAdmin(email="root@example.com", password="something-else-1"))
    assert first.created
    assert not again.created
    assert first.user_id == again.user_id
    user = world.stored_user(first.user_id)
    assert user.is_platform_admin
    assert user.password_hash == f"v2${PASSWORD}"
    assert world.uow.commits == 1


async def test_bootstrap_never_promotes_an_existing_account(world: World) -> None:
    someone = world.user("someone@example.com")
    result = await bootstrap(world)(BootstrapPlatformAdmin(email="someone@example.com", password=PASSWORD))
    assert not result.created
    assert not world.stored_user(someone.id).is_platform_admin


async def test_bootstrap_refuses_a_weak_password(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        await bootstrap(world)(BootstrapPlatformAdmin(email="root@example.com", password="admin123"))
    assert caught.value.code == "WEAK_PASSWORD"
