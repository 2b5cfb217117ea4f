"""The auth persistence ports, stated once and checked on the fakes, PostgreSQL and SQLite.

The handler tests run on the fakes; these tests are what keeps the fakes honest about the SQL
adapters (and the other way round).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from kisum.application.auth.ports import AccessStamp, BearerState, MembershipStamp
from kisum.domain.auth.access import Permission
from kisum.domain.auth.audit import AuditAction, AuditEntry, AuditValue
from kisum.domain.auth.errors import AlreadyMember, EmailTaken, PermissionExists, RefreshTokenReused
from kisum.domain.auth.identity import DelegationPolicy, MembershipStatus, Role, UserStatus
from kisum.domain.auth.sessions import RevocationReason
from tests.adapters.auth.conftest import NOW, Backend, Stored, a_membership, a_session, a_user

# --- users -----------------------------------------------------------------------------------


async def test_user_round_trips_every_field(backend: Backend) -> None:
    user = a_user("ada@example.com")
    async with backend.uow() as uow:
        await uow.users.add(user)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.users.get(user.id) == user
        assert await uow.users.get_by_email("ada@example.com") == user
        assert await uow.users.get(uuid.uuid4()) is None
        assert await uow.users.get_by_email("nobody@example.com") is None


async def test_user_save_persists_every_changed_field(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    async with backend.uow() as uow:
        loaded = await uow.users.get(user.id, for_update=True)
        assert loaded is not None
        loaded.change_password_hash("$argon2id$new")
        loaded.suspend()
        loaded.name = "Ada King"
        loaded.is_platform_admin = True
        await uow.users.save(loaded)
        await uow.commit()

    async with backend.uow() as uow:
        again = await uow.users.get(user.id)
    assert again == loaded
    assert again is not None
    assert (again.password_hash, again.status, again.token_version) == ("$argon2id$new", UserStatus.SUSPENDED, 2)


async def test_user_save_works_on_a_copy_loaded_in_another_unit_of_work(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    user.bump_token_version()  # the copy returned long ago, never loaded in the next UoW
    async with backend.uow() as uow:
        await uow.users.save(user)
        await uow.commit()
    async with backend.uow() as uow:
        loaded = await uow.users.get(user.id)
    assert loaded is not None
    assert loaded.token_version == 2


async def test_users_are_detached_copies_until_saved(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    async with backend.uow() as uow:
        loaded = await uow.users.get(user.id)
        assert loaded is not None
        loaded.bump_token_version()
        loaded.name = "Changed"
        assert await uow.users.get(user.id) == user  # the same UoW still reads the stored state
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.users.get(user.id) == user


async def test_objects_passed_to_add_stay_detached(backend: Backend) -> None:
    user = a_user()
    async with backend.uow() as uow:
        await uow.users.add(user)
        user.name = "Mutated after add"
        await uow.commit()
    async with backend.uow() as uow:
        loaded = await uow.users.get(user.id)
    assert loaded is not None
    assert loaded.name == "Ada Lovelace"


async def test_list_users_by_ids_returns_only_existing(backend: Backend, stored: Stored) -> None:
    first, second, _third = await stored.user(), await stored.user(), await stored.user()
    async with backend.uow() as uow:
        found = await uow.users.list_by_ids([first.id, second.id, uuid.uuid4()])
        empty = await uow.users.list_by_ids([])
    assert sorted(found, key=lambda u: u.id) == sorted([first, second], key=lambda u: u.id)
    assert empty == []


async def test_duplicate_email_raises_email_taken_and_writes_nothing(backend: Backend, stored: Stored) -> None:
    await stored.user("taken@example.com")
    newcomer = a_user()

    async def register_both() -> None:
        async with backend.uow() as uow:
            await uow.users.add(newcomer)
            await uow.users.add(a_user("taken@example.com"))
            await uow.commit()

    with pytest.raises(EmailTaken):
        await register_both()
    async with backend.uow() as uow:
        assert await uow.users.get(newcomer.id) is None


async def test_leaving_without_commit_discards_the_work(backend: Backend) -> None:
    user = a_user()
    async with backend.uow() as uow:
        await uow.users.add(user)
        assert await uow.users.get(user.id) == user  # visible inside its own transaction
    async with backend.uow() as uow:
        assert await uow.users.get(user.id) is None


# --- memberships -----------------------------------------------------------------------------


async def test_membership_round_trips_grants_and_delegation(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    company = uuid.uuid4()
    membership = a_membership(user, company, role=Role.ADMIN)
    membership.grant_modules(["basic", "finance"])
    membership.grant_permissions(["basic.artist.view", "finance.*"])
    membership.set_delegation(
        DelegationPolicy.of(can_manage_members=True, modules=["basic"], permissions=["basic.artist.*"])
    )
    await stored.membership(membership)

    async with backend.uow() as uow:
        assert await uow.memberships.get(company, membership.id) == membership
        assert await uow.memberships.get_by_user(company, user.id) == membership
        assert await uow.memberships.list_by_user(user.id) == [membership]


async def test_membership_reads_are_tenant_scoped(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    company, other_company = uuid.uuid4(), uuid.uuid4()
    membership = await stored.membership(a_membership(user, company))

    async with backend.uow() as uow:
        assert await uow.memberships.get(other_company, membership.id) is None
        assert await uow.memberships.get(other_company, membership.id, for_update=True) is None
        assert await uow.memberships.get_by_user(other_company, user.id) is None
        assert await uow.memberships.list_by_company(other_company, offset=0, limit=10) == ([], 0)


async def test_membership_save_replaces_child_sets_exactly(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    company = uuid.uuid4()
    membership = a_membership(user, company)
    membership.grant_modules(["basic", "finance"])
    membership.grant_permissions(["basic.artist.view", "finance.*"])
    membership.set_delegation(DelegationPolicy.of(can_manage_members=False, modules=["basic"], permissions=["basic.*"]))
    await stored.membership(membership)

    async with backend.uow() as uow:
        loaded = await uow.memberships.get(company, membership.id, for_update=True)
        assert loaded is not None
        loaded.revoke_module("finance")
        loaded.grant_modules(["market"])
        loaded.revoke_permission("finance.*")
        loaded.grant_permissions(["market.deal.create"])
        loaded.set_delegation(
            DelegationPolicy.of(can_manage_members=True, modules=["market"], permissions=["market.deal.create"])
        )
        loaded.change_role(Role.ADMIN)
        loaded.change_status(MembershipStatus.SUSPENDED)
        await uow.memberships.save(loaded)
        await uow.commit()

    async with backend.uow() as uow:
        again = await uow.memberships.get(company, membership.id)
    assert again == loaded
    assert again is not None
    assert again.module_grants == {"basic", "market"}
    assert again.permission_grants == {"basic.artist.view", "market.deal.create"}
    assert again.delegation == DelegationPolicy.of(
        can_manage_members=True, modules=["market"], permissions=["market.deal.create"]
    )
    assert (again.role, again.status, again.access_version) == (Role.ADMIN, MembershipStatus.SUSPENDED, 11)


async def test_membership_save_can_empty_every_set(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    company = uuid.uuid4()
    membership = a_membership(user, company)
    membership.grant_modules(["basic"])
    membership.grant_permissions(["basic.*"])
    membership.set_delegation(DelegationPolicy.of(can_manage_members=True, modules=["basic"], permissions=["basic.*"]))
    await stored.membership(membership)

    membership.revoke_module("basic")
    membership.revoke_permission("basic.*")
    membership.set_delegation(DelegationPolicy())
    async with backend.uow() as uow:  # saving the detached copy the caller kept
        await uow.memberships.save(membership)
        await uow.commit()

    async with backend.uow() as uow:
        again = await uow.memberships.get_by_user(company, user.id)
    assert again == membership
    assert again is not None
    assert (again.module_grants, again.permission_grants, again.delegation) == (
        frozenset(),
        frozenset(),
        DelegationPolicy(),
    )


async def test_memberships_are_detached_copies(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    company = uuid.uuid4()
    membership = await stored.membership(a_membership(user, company))
    async with backend.uow() as uow:
        loaded = await uow.memberships.get(company, membership.id)
        assert loaded is not None
        loaded.grant_modules(["basic"])
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.memberships.get(company, membership.id) == membership


async def test_second_membership_in_a_company_raises_already_member(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    company = uuid.uuid4()
    first = await stored.membership(a_membership(user, company))
    other = await stored.user()
    other_membership = a_membership(other, company)

    async def add_both() -> None:
        async with backend.uow() as uow:
            await uow.memberships.add(other_membership)
            await uow.memberships.add(a_membership(user, company, role=Role.OWNER))
            await uow.commit()

    with pytest.raises(AlreadyMember):
        await add_both()
    async with backend.uow() as uow:
        assert await uow.memberships.get(company, other_membership.id) is None
        assert await uow.memberships.list_by_company(company, offset=0, limit=10) == ([first], 1)


async def test_list_by_user_spans_companies_and_statuses_in_creation_order(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    later = a_membership(user, uuid.uuid4(), at=NOW + timedelta(hours=2))
    earlier = a_membership(user, uuid.uuid4(), at=NOW)
    earlier.change_status(MembershipStatus.SUSPENDED)
    await stored.membership(later)
    await stored.membership(earlier)
    await stored.membership(a_membership(await stored.user(), uuid.uuid4()))

    async with backend.uow() as uow:
        assert await uow.memberships.list_by_user(user.id) == [earlier, later]


async def test_list_by_company_pages_in_creation_order_with_total(backend: Backend, stored: Stored) -> None:
    company = uuid.uuid4()
    members = []
    for minute in range(5):
        membership = a_membership(await stored.user(), company, at=NOW + timedelta(minutes=minute))
        membership.grant_modules(["basic"])
        members.append(await stored.membership(membership))
    await stored.membership(a_membership(await stored.user(), uuid.uuid4()))

    async with backend.uow() as uow:
        first = await uow.memberships.list_by_company(company, offset=0, limit=2)
        last = await uow.memberships.list_by_company(company, offset=4, limit=2)
        beyond = await uow.memberships.list_by_company(company, offset=10, limit=2)
    assert first == (members[:2], 5)
    assert last == (members[4:], 5)
    assert beyond == ([], 5)


async def test_list_with_permission_key_finds_exact_grants_and_delegations(backend: Backend, stored: Stored) -> None:
    key = "finance.invoice.view"
    granting = a_membership(await stored.user(), uuid.uuid4())
    granting.grant_permissions([key])
    delegating = a_membership(await stored.user(), uuid.uuid4())
    delegating.set_delegation(DelegationPolicy.of(can_manage_members=False, modules=[], permissions=[key]))
    by_pattern = a_membership(await stored.user(), uuid.uuid4())
    by_pattern.grant_permissions(["finance.*", "finance.invoice.*"])
    for membership in (granting, delegating, by_pattern):
        await stored.membership(membership)

    async with backend.uow() as uow:
        found = await uow.memberships.list_with_permission_key(key)
        none = await uow.memberships.list_with_permission_key("finance.invoice.delete")
    assert sorted(found, key=lambda m: m.id) == sorted([granting, delegating], key=lambda m: m.id)
    assert none == []


# --- sessions --------------------------------------------------------------------------------


async def test_session_round_trips_device_info(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    session = await stored.session(a_session(user))
    async with backend.uow() as uow:
        loaded = await uow.sessions.get(session.id)
        assert await uow.sessions.get(uuid.uuid4()) is None
    assert loaded == session
    assert loaded is not None
    assert (loaded.user_agent, loaded.ip) == ("Mozilla/5.0 (X11; Linux x86_64)", "203.0.113.7")


async def test_refresh_hash_lookup_matches_current_and_every_previous_hash(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    session = await stored.session(a_session(user, "h1"))
    for step, (old, new) in enumerate([("h1", "h2"), ("h2", "h3")], start=1):
        async with backend.uow() as uow:
            found = await uow.sessions.find_by_refresh_token_hash(old, for_update=True)
            assert found is not None
            found.session.rotate(presented_hash=old, new_hash=new, now=NOW + timedelta(minutes=step))
            await uow.sessions.save(found.session)
            await uow.commit()

    async with backend.uow() as uow:
        by_hash = {h: await uow.sessions.find_by_refresh_token_hash(h) for h in ("h1", "h2", "h3", "unknown")}
        history = await uow.sessions.get(session.id)
    assert by_hash["unknown"] is None
    assert {h: f.session.id if f else None for h, f in by_hash.items() if h != "unknown"} == dict.fromkeys(
        ("h1", "h2", "h3"), session.id
    )
    assert all(f is None or f.user == user for f in by_hash.values())
    current = by_hash["h3"]
    assert current is not None
    assert current.session.refresh_token_hash == "h3"
    assert current.session.last_used_at == NOW + timedelta(minutes=2)
    assert history is not None
    assert history.previous_token_hashes == {"h1", "h2"}


async def test_refresh_hash_lookup_tells_a_rotated_hash_from_the_current_one(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    session = a_session(user, "h1")
    session.rotate(presented_hash="h1", new_hash="h2", now=NOW)
    session.rotate(presented_hash="h2", new_hash="h3", now=NOW)
    await stored.session(session)

    async with backend.uow() as uow:
        by_hash = {h: await uow.sessions.find_by_refresh_token_hash(h) for h in ("h1", "h2", "h3")}
    # Only what reuse detection asks about is loaded, however long the history.
    assert {h: f.session.previous_token_hashes for h, f in by_hash.items() if f} == {
        "h1": {"h1"},
        "h2": {"h2"},
        "h3": set(),
    }


async def test_reuse_of_a_rotated_hash_revokes_the_session_and_keeps_its_history(
    backend: Backend, stored: Stored
) -> None:
    user = await stored.user()
    session = a_session(user, "h1")
    session.rotate(presented_hash="h1", new_hash="h2", now=NOW)
    await stored.session(session)

    async with backend.uow() as uow:
        found = await uow.sessions.find_by_refresh_token_hash("h1", for_update=True)
        assert found is not None
        with pytest.raises(RefreshTokenReused):
            found.session.rotate(presented_hash="h1", new_hash="h9", now=NOW + timedelta(minutes=1))
        await uow.sessions.save(found.session)
        await uow.commit()
    async with backend.uow() as uow:
        again = await uow.sessions.get(session.id)
    assert again is not None
    assert (again.refresh_token_hash, again.previous_token_hashes) == ("h2", {"h1"})
    assert again.revoked_reason is RevocationReason.REFRESH_TOKEN_REUSED


async def test_session_save_persists_revocation(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    session = await stored.session(a_session(user))
    session.revoke(NOW + timedelta(hours=1), RevocationReason.LOGOUT)
    async with backend.uow() as uow:
        await uow.sessions.save(session)
        await uow.commit()
    async with backend.uow() as uow:
        loaded = await uow.sessions.get(session.id, for_update=True)
    assert loaded == session
    assert loaded is not None
    assert (loaded.revoked_at, loaded.revoked_reason) == (NOW + timedelta(hours=1), RevocationReason.LOGOUT)


async def test_live_sessions_exclude_revoked_expired_and_others_newest_first(backend: Backend, stored: Stored) -> None:
    user, other = await stored.user(), await stored.user()
    old = await stored.session(a_session(user, at=NOW - timedelta(days=2)))
    new = await stored.session(a_session(user, at=NOW - timedelta(days=1)))
    await stored.session(a_session(user, at=NOW - timedelta(days=3), days=1))  # expired
    revoked = a_session(user, at=NOW - timedelta(hours=1))
    revoked.revoke(NOW, RevocationReason.LOGOUT)
    await stored.session(revoked)
    await stored.session(a_session(other))

    async with backend.uow() as uow:
        assert await uow.sessions.list_live_by_user(user.id, NOW) == [new, old]


async def test_bearer_state_reads_the_session_with_its_users_status_and_versions(
    backend: Backend, stored: Stored
) -> None:
    user = await stored.user()
    session = await stored.session(a_session(user))
    async with backend.uow() as uow:
        state = await uow.sessions.bearer_state(session.id)
        assert await uow.sessions.bearer_state(uuid.uuid4()) is None
    assert state == BearerState(
        session_id=session.id,
        user_id=user.id,
        expires_at=session.expires_at,
        revoked_at=None,
        user_status=UserStatus.ACTIVE,
        token_version=user.token_version,
        is_platform_admin=False,
    )
    assert state.accepts(user_id=user.id, token_version=user.token_version, now=NOW)


async def test_bearer_state_sees_revocation_suspension_and_token_bump_at_once(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    session = await stored.session(a_session(user))
    session.revoke(NOW, RevocationReason.LOGOUT)
    user.suspend()
    user.bump_token_version()
    async with backend.uow() as uow:
        await uow.sessions.save(session)
        await uow.users.save(user)
        await uow.commit()
    async with backend.uow() as uow:
        state = await uow.sessions.bearer_state(session.id)
    assert state is not None
    assert (state.revoked_at, state.user_status, state.token_version) == (NOW, UserStatus.SUSPENDED, user.token_version)
    assert not state.accepts(user_id=user.id, token_version=user.token_version, now=NOW)


async def test_save_after_a_locked_read_keeps_every_previous_hash(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    session = await stored.session(a_session(user, "h1"))
    async with backend.uow() as uow:
        for step, (old, new) in enumerate([("h1", "h2"), ("h2", "h3"), ("h3", "h4")], start=1):
            found = await uow.sessions.find_by_refresh_token_hash(old, for_update=True)
            assert found is not None
            found.session.rotate(presented_hash=old, new_hash=new, now=NOW + timedelta(minutes=step))
            await uow.sessions.save(found.session)
        await uow.commit()
    async with backend.uow() as uow:
        again = await uow.sessions.get(session.id)
    assert again is not None
    assert (again.refresh_token_hash, again.previous_token_hashes) == ("h4", {"h1", "h2", "h3"})


# --- access stamp ----------------------------------------------------------------------------


async def test_access_stamp_reads_the_session_and_the_versions_behind_the_access_version(
    backend: Backend, stored: Stored
) -> None:
    user = await stored.user()
    session = await stored.session(a_session(user))
    company = uuid.uuid4()
    membership = await stored.membership(a_membership(user, company))
    async with backend.uow() as uow:
        catalog_version = await uow.permissions.version()
        bearer = await uow.sessions.bearer_state(session.id)
        stamp = await uow.memberships.access_stamp(session.id, company)
        elsewhere = await uow.memberships.access_stamp(session.id, uuid.uuid4())  # not a member there
        assert await uow.memberships.access_stamp(uuid.uuid4(), company) is None  # no such session
    assert bearer is not None
    assert stamp == AccessStamp(
        bearer=bearer,
        membership=MembershipStamp(membership_id=membership.id, access_version=membership.access_version),
        catalog_version=catalog_version,
        entitlement_version=None,
    )
    assert elsewhere == AccessStamp(
        bearer=bearer, membership=None, catalog_version=catalog_version, entitlement_version=None
    )
    async with backend.uow().reading() as uow:  # on PostgreSQL: straight on the driver
        assert await uow.memberships.access_stamp(session.id, company) == stamp
        assert await uow.memberships.access_stamp(session.id, uuid.uuid4()) == elsewhere
        assert await uow.memberships.access_stamp(uuid.uuid4(), company) is None
        assert await uow.sessions.bearer_state(session.id) == bearer
        assert await uow.sessions.bearer_state(uuid.uuid4()) is None


async def test_access_stamp_follows_session_membership_token_and_catalog_changes(
    backend: Backend, stored: Stored
) -> None:
    user = await stored.user()
    session = await stored.session(a_session(user))
    company = uuid.uuid4()
    membership = await stored.membership(a_membership(user, company))
    async with backend.uow() as uow:
        before = await uow.memberships.access_stamp(session.id, company)
        loaded = await uow.memberships.get(company, membership.id, for_update=True)
        assert loaded is not None
        loaded.change_status(MembershipStatus.SUSPENDED)
        await uow.memberships.save(loaded)
        user.bump_token_version()
        await uow.users.save(user)
        session.revoke(NOW, RevocationReason.LOGOUT)
        await uow.sessions.save(session)
        await uow.permissions.add(Permission("basic.artist.view"))
        await uow.commit()
    async with backend.uow() as uow:
        after = await uow.memberships.access_stamp(session.id, company)
    assert before is not None
    assert before.membership is not None
    assert after is not None
    assert after.membership is not None
    assert after.membership.access_version > before.membership.access_version
    assert after.bearer.token_version == before.bearer.token_version + 1
    assert after.bearer.revoked_at == NOW
    assert not after.bearer.accepts(user_id=user.id, token_version=user.token_version, now=NOW)
    assert after.catalog_version == before.catalog_version + 1


async def test_entitlement_versions_only_move_forward_and_show_in_the_stamp(backend: Backend, stored: Stored) -> None:
    user = await stored.user()
    session = await stored.session(a_session(user))
    company, other = uuid.uuid4(), uuid.uuid4()
    await stored.membership(a_membership(user, company))
    for version in (3, 5, 4):  # a late notification or answer never takes it back
        async with backend.uow() as uow:
            await uow.entitlement_versions.advance(company, version)
            await uow.commit()
    async with backend.uow() as uow:
        await uow.entitlement_versions.advance(other, 1)  # not committed: gone
    async with backend.uow() as uow:
        stamp = await uow.memberships.access_stamp(session.id, company)
        elsewhere = await uow.memberships.access_stamp(session.id, other)
    assert stamp is not None
    assert stamp.entitlement_version == 5
    assert elsewhere is not None
    assert elsewhere.entitlement_version is None


# --- catalog ---------------------------------------------------------------------------------


async def test_catalog_add_get_list_and_keys(backend: Backend) -> None:
    async with backend.uow() as uow:
        await uow.permissions.add(Permission("finance.invoice.view", "See invoices"))
        await uow.permissions.add(Permission("basic.artist.view"))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.permissions.get("finance.invoice.view") == Permission("finance.invoice.view", "See invoices")
        assert await uow.permissions.get("finance.invoice.edit") is None
        assert await uow.permissions.list_all() == [
            Permission("basic.artist.view"),
            Permission("finance.invoice.view", "See invoices"),
        ]
        assert await uow.permissions.keys() == {"basic.artist.view", "finance.invoice.view"}


async def test_catalog_version_grows_with_add_and_remove_only_when_committed(backend: Backend) -> None:
    async with backend.uow() as uow:
        start = await uow.permissions.version()
        await uow.permissions.add(Permission("basic.artist.view"))
        assert await uow.permissions.version() == start + 1
        await uow.commit()
    async with backend.uow() as uow:
        await uow.permissions.remove("basic.artist.view")
        assert await uow.permissions.version() == start + 2
        # left without commit
    async with backend.uow() as uow:
        assert await uow.permissions.version() == start + 1
        assert await uow.permissions.keys() == {"basic.artist.view"}
        await uow.permissions.remove("basic.artist.view")
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.permissions.version() == start + 2
        assert await uow.permissions.keys() == frozenset()


async def test_duplicate_permission_raises_permission_exists(backend: Backend) -> None:
    async with backend.uow() as uow:
        await uow.permissions.add(Permission("basic.artist.view"))
        await uow.commit()
        start = await uow.permissions.version()

    async def add_again() -> None:
        async with backend.uow() as uow:
            await uow.permissions.add(Permission("basic.artist.view", "again"))
            await uow.commit()

    with pytest.raises(PermissionExists):
        await add_again()
    async with backend.uow() as uow:
        assert await uow.permissions.list_all() == [Permission("basic.artist.view")]
        assert await uow.permissions.version() == start


# --- audit -----------------------------------------------------------------------------------


def an_entry(action: AuditAction = AuditAction.MODULES_GRANTED, **details: AuditValue) -> AuditEntry:
    return AuditEntry(
        id=uuid.uuid4(),
        at=NOW,
        actor=f"user:{uuid.uuid4()}",
        action=action,
        company_id=uuid.uuid4(),
        target_membership_id=uuid.uuid4(),
        target_user_id=uuid.uuid4(),
        details=details,
    )


async def test_audit_entries_commit_and_roll_back_with_the_change(backend: Backend) -> None:
    kept = an_entry(modules=("basic", "finance"), role="admin", count=2, forced=False, reason=None)
    user = a_user()
    async with backend.uow() as uow:
        await uow.users.add(user)
        await uow.audit.record(kept)
        await uow.commit()
    async with backend.uow() as uow:
        await uow.users.add(a_user())
        await uow.audit.record(an_entry(AuditAction.USER_CREATED))
        # an error before commit: both the user and its entry vanish

    assert await backend.committed_audit() == [kept]
