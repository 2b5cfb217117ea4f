from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kisum.domain.auth import delegation
from kisum.domain.auth.access import PermissionCatalog, compute_effective_access
from kisum.domain.auth.delegation import Authority, may_list_members
from kisum.domain.auth.errors import DelegationExceeded
from kisum.domain.auth.identity import DelegationPolicy, Membership, MembershipStatus, Role, User, UserStatus
from kisum.domain.permissions import matches
from tests.domain.auth.builders import NOW, OTHER_COMPANY, entitlements, membership, user

ALL = ("basic", "finance", "market", "touring")


def authority_of(
    *,
    role: Role = Role.MEMBER,
    enabled: tuple[str, ...] = ALL,
    user_status: UserStatus = UserStatus.ACTIVE,
    **kw: object,
) -> Authority:
    u = user(status=user_status)
    m = membership(u, role=role, **kw)  # type: ignore[arg-type]
    return Authority.of(user=u, membership=m, entitlements=entitlements(*enabled))


def target(**kw: object) -> Membership:
    return membership(user(), **kw)  # type: ignore[arg-type]


def manager(**kw: object) -> Authority:
    """A non-owner who holds and may delegate all of basic, and manage members."""
    defaults: dict[str, object] = {
        "modules": ["basic"],
        "permissions": ["basic.*"],
        "can_manage_members": True,
        "delegate_modules": ["basic"],
        "delegate_permissions": ["basic.*"],
    }
    defaults.update(kw)
    return authority_of(**defaults)  # type: ignore[arg-type]


def refused(action: Callable[[], object]) -> DelegationExceeded:
    with pytest.raises(DelegationExceeded) as caught:
        action()
    assert caught.value.code == "DELEGATION_EXCEEDED"
    assert caught.value.__class__.__mro__[1].__name__ == "Forbidden"
    return caught.value


# -- granting permissions: pattern coverage in both directions ---------------------------------


def test_holding_basic_star_allows_granting_one_basic_key() -> None:
    t = target()
    delegation.grant_permissions_by(manager(), t, ["basic.artist.view"])
    assert t.permission_grants == {"basic.artist.view"}


def test_holding_one_basic_key_does_not_allow_granting_basic_star() -> None:
    actor = manager(permissions=["basic.artist.view"], delegate_permissions=["basic.artist.view"])
    t = target()
    refused(lambda: delegation.grant_permissions_by(actor, t, ["basic.*"]))
    assert t.permission_grants == frozenset()
    assert t.access_version == 1


def test_holding_every_current_key_of_a_resource_still_does_not_cover_its_wildcard() -> None:
    keys = ["basic.artist.view", "basic.artist.create", "basic.artist.edit", "basic.artist.delete"]
    actor = manager(permissions=keys, delegate_permissions=keys)
    refused(lambda: delegation.grant_permissions_by(actor, target(), ["basic.artist.*"]))


def test_holding_a_resource_wildcard_does_not_cover_the_module_wildcard() -> None:
    actor = manager(permissions=["basic.artist.*"], delegate_permissions=["basic.*"])
    refused(lambda: delegation.grant_permissions_by(actor, target(), ["basic.*"]))
    t = target()
    delegation.grant_permissions_by(actor, t, ["basic.artist.*"])
    assert t.permission_grants == {"basic.artist.*"}


def test_granting_needs_both_own_access_and_the_delegation_policy() -> None:
    only_policy = manager(permissions=["basic.artist.view"], delegate_permissions=["basic.*"])
    only_access = manager(permissions=["basic.*"], delegate_permissions=["basic.artist.view"])
    for actor in (only_policy, only_access):
        refused(lambda actor=actor: delegation.grant_permissions_by(actor, target(), ["basic.event.view"]))  # type: ignore[misc]
        t = target()
        delegation.grant_permissions_by(actor, t, ["basic.artist.view"])
        assert t.permission_grants == {"basic.artist.view"}


def test_granting_a_permission_of_a_module_not_effectively_held_is_refused() -> None:
    # finance granted and delegated, but the company does not have finance enabled
    actor = manager(
        enabled=("basic",),
        modules=["basic", "finance"],
        permissions=["basic.*", "finance.*"],
        delegate_modules=["basic", "finance"],
        delegate_permissions=["basic.*", "finance.*"],
    )
    refused(lambda: delegation.grant_permissions_by(actor, target(), ["finance.budget.view"]))
    refused(lambda: delegation.grant_modules_by(actor, target(), ["finance"]))


def test_one_refused_pattern_refuses_the_whole_request() -> None:
    t = target()
    error = refused(lambda: delegation.grant_permissions_by(manager(), t, ["basic.artist.view", "finance.*"]))
    assert "finance.*" in error.detail
    assert t.permission_grants == frozenset()


# -- modules ------------------------------------------------------------------------------------


def test_granting_modules_needs_them_in_the_delegated_modules() -> None:
    actor = manager(modules=["basic", "finance"], delegate_modules=["basic"])
    t = target()
    refused(lambda: delegation.grant_modules_by(actor, t, ["finance"]))
    delegation.grant_modules_by(actor, t, ["basic"])
    assert t.module_grants == {"basic"}


def test_an_owner_grants_every_enabled_module_but_nothing_else() -> None:
    owner = authority_of(role=Role.OWNER, enabled=("basic", "finance"))
    t = target()
    delegation.grant_modules_by(owner, t, ["basic", "finance"])
    delegation.grant_permissions_by(owner, t, ["basic.*", "finance.budget.view"])
    assert t.module_grants == {"basic", "finance"}
    refused(lambda: delegation.grant_modules_by(owner, target(), ["market"]))
    refused(lambda: delegation.grant_permissions_by(owner, target(), ["market.*"]))


# -- revoking -----------------------------------------------------------------------------------


def test_revoking_needs_the_grant_inside_the_callers_delegation() -> None:
    t = target(modules=["basic", "finance"], permissions=["finance.*", "basic.artist.view"])
    actor = manager()
    refused(lambda: delegation.revoke_module_by(actor, t, "finance"))
    refused(lambda: delegation.revoke_permission_by(actor, t, "finance.*"))
    assert delegation.revoke_module_by(actor, t, "basic")
    assert delegation.revoke_permission_by(actor, t, "basic.artist.view")
    assert t.module_grants == {"finance"}
    assert t.permission_grants == {"finance.*"}


def test_revoking_a_wildcard_needs_coverage_of_the_wildcard() -> None:
    t = target(permissions=["basic.*"])
    actor = manager(permissions=["basic.artist.*"], delegate_permissions=["basic.artist.*"])
    refused(lambda: delegation.revoke_permission_by(actor, t, "basic.*"))


def test_an_owner_may_revoke_grants_of_modules_that_are_not_enabled() -> None:
    owner = authority_of(role=Role.OWNER, enabled=("basic",))
    t = target(modules=["finance"], permissions=["finance.*"])
    assert delegation.revoke_module_by(owner, t, "finance")
    assert delegation.revoke_permission_by(owner, t, "finance.*")


def test_revoking_what_is_not_granted_changes_nothing() -> None:
    t = target()
    assert not delegation.revoke_module_by(manager(), t, "basic")
    assert t.access_version == 1


# -- self, company, owners ----------------------------------------------------------------------


def test_nobody_changes_their_own_membership() -> None:
    u = user()
    own = membership(u, role=Role.OWNER, modules=["basic"], can_manage_members=True, delegate_modules=["basic"])
    owner = Authority.of(user=u, membership=own, entitlements=entitlements(*ALL))
    actions: list[Callable[[], object]] = [
        lambda: delegation.grant_modules_by(owner, own, ["finance"]),
        lambda: delegation.revoke_module_by(owner, own, "basic"),
        lambda: delegation.grant_permissions_by(owner, own, ["basic.*"]),
        lambda: delegation.revoke_permission_by(owner, own, "basic.*"),
        lambda: delegation.set_delegation_by(owner, own, DelegationPolicy()),
        lambda: delegation.update_membership_by(owner, own, role=Role.MEMBER),
        lambda: delegation.update_membership_by(owner, own, status=MembershipStatus.SUSPENDED),
    ]
    for action in actions:
        refused(action)
    assert own.access_version == 1


def test_a_second_membership_row_of_the_same_user_is_still_self() -> None:
    u = user()
    own = membership(u, role=Role.OWNER)
    owner = Authority.of(user=u, membership=own, entitlements=entitlements(*ALL))
    twin = membership(u)  # same user, another row: never allowed either
    refused(lambda: delegation.grant_modules_by(owner, twin, ["basic"]))


def test_a_membership_of_another_company_is_refused() -> None:
    owner = authority_of(role=Role.OWNER)
    foreign = target(company=OTHER_COMPANY)
    refused(lambda: delegation.grant_modules_by(owner, foreign, ["basic"]))
    refused(lambda: delegation.update_membership_by(owner, foreign, status=MembershipStatus.SUSPENDED))


@pytest.mark.parametrize(
    "change",
    [
        lambda a, t: delegation.update_membership_by(a, t, role=Role.ADMIN),
        lambda a, t: delegation.update_membership_by(a, t, status=MembershipStatus.SUSPENDED),
        lambda a, t: delegation.grant_modules_by(a, t, ["basic"]),
        lambda a, t: delegation.revoke_module_by(a, t, "basic"),
        lambda a, t: delegation.grant_permissions_by(a, t, ["basic.artist.view"]),
        lambda a, t: delegation.revoke_permission_by(a, t, "basic.artist.view"),
        lambda a, t: delegation.set_delegation_by(
            a, t, DelegationPolicy.of(can_manage_members=False, modules=["basic"], permissions=[])
        ),
    ],
    ids=["unmake", "suspend", "grant-module", "revoke-module", "grant-perm", "revoke-perm", "delegation"],
)
def test_only_owners_change_owners(change: Callable[[Authority, Membership], object]) -> None:
    other_owner = target(role=Role.OWNER, modules=["basic"], permissions=["basic.artist.view"])
    refused(lambda: change(manager(), other_owner))
    assert other_owner.access_version == 1
    change(authority_of(role=Role.OWNER), other_owner)


def test_only_owners_make_owners() -> None:
    t = target()
    refused(lambda: delegation.update_membership_by(manager(), t, role=Role.OWNER))
    refused(
        lambda: delegation.create_membership_by(
            manager(), membership_id=uuid4(), user_id=uuid4(), role=Role.OWNER, now=NOW
        )
    )
    delegation.update_membership_by(authority_of(role=Role.OWNER), t, role=Role.OWNER)
    assert t.role is Role.OWNER


def test_an_owner_may_suspend_and_reactivate_another_owner() -> None:
    owner = authority_of(role=Role.OWNER)
    other = target(role=Role.OWNER)
    assert delegation.update_membership_by(owner, other, status=MembershipStatus.SUSPENDED)
    assert delegation.update_membership_by(owner, other, status=MembershipStatus.ACTIVE)
    assert other.access_version == 3


# -- managing members ---------------------------------------------------------------------------


def test_managing_members_needs_can_manage_members() -> None:
    no_manage = manager(can_manage_members=False)
    t = target()
    refused(
        lambda: delegation.create_membership_by(
            no_manage, membership_id=uuid4(), user_id=uuid4(), role=Role.MEMBER, now=NOW
        )
    )
    refused(lambda: delegation.update_membership_by(no_manage, t, role=Role.ADMIN))
    refused(lambda: delegation.update_membership_by(no_manage, t, status=MembershipStatus.SUSPENDED))
    # ... but grants inside its delegation are still allowed without it
    delegation.grant_modules_by(no_manage, t, ["basic"])


def test_a_manager_creates_members_and_admins_in_its_company() -> None:
    actor = manager()
    created = delegation.create_membership_by(actor, membership_id=uuid4(), user_id=uuid4(), role=Role.ADMIN, now=NOW)
    assert created.company_id == actor.company_id
    assert created.role is Role.ADMIN
    assert (created.module_grants, created.permission_grants, created.delegation) == (
        frozenset(),
        frozenset(),
        DelegationPolicy(),
    )


def test_a_manager_cannot_suspend_someone_holding_more_than_it_can_delegate() -> None:
    t = target(modules=["basic", "finance"])
    refused(lambda: delegation.update_membership_by(manager(), t, status=MembershipStatus.SUSPENDED))
    refused(lambda: delegation.update_membership_by(manager(), t, role=Role.ADMIN))
    within = target(modules=["basic"], permissions=["basic.artist.*"])
    assert delegation.update_membership_by(manager(), within, status=MembershipStatus.SUSPENDED)


def test_both_role_and_status_are_checked_before_either_changes() -> None:
    t = target()
    refused(lambda: delegation.update_membership_by(manager(), t, status=MembershipStatus.SUSPENDED, role=Role.OWNER))
    assert (t.role, t.status, t.access_version) == (Role.MEMBER, MembershipStatus.ACTIVE, 1)


def test_a_suspended_caller_has_no_authority_whatever_its_role() -> None:
    for actor in (
        authority_of(role=Role.OWNER, status=MembershipStatus.SUSPENDED),
        authority_of(role=Role.OWNER, user_status=UserStatus.SUSPENDED),
        manager(status=MembershipStatus.SUSPENDED),
    ):
        assert not actor.is_owner
        refused(lambda actor=actor: delegation.grant_modules_by(actor, target(), ["basic"]))  # type: ignore[misc]
        refused(lambda actor=actor: delegation.update_membership_by(actor, target(), role=Role.ADMIN))  # type: ignore[misc]
        refused(lambda actor=actor: delegation.revoke_module_by(actor, target(modules=["basic"]), "basic"))  # type: ignore[misc]


# -- delegation policies --------------------------------------------------------------------------


def test_setting_a_delegation_policy_within_ones_own_delegation() -> None:
    t = target()
    policy = DelegationPolicy.of(can_manage_members=True, modules=["basic"], permissions=["basic.artist.*"])
    assert delegation.set_delegation_by(manager(), t, policy)
    assert t.delegation == policy


def test_a_delegation_policy_cannot_exceed_the_callers_delegation() -> None:
    actor = manager(can_manage_members=False)
    for policy in (
        DelegationPolicy.of(can_manage_members=False, modules=["finance"], permissions=[]),
        DelegationPolicy.of(can_manage_members=False, modules=[], permissions=["finance.*"]),
        DelegationPolicy.of(can_manage_members=True, modules=[], permissions=[]),
    ):
        refused(lambda policy=policy: delegation.set_delegation_by(actor, target(), policy))  # type: ignore[misc]


def test_removing_from_a_policy_needs_delegation_of_what_is_removed() -> None:
    t = target(delegate_modules=["finance", "basic"], delegate_permissions=["finance.*"], can_manage_members=True)
    actor = manager(can_manage_members=False)
    refused(lambda: delegation.set_delegation_by(actor, t, DelegationPolicy()))
    keep_foreign = DelegationPolicy.of(can_manage_members=True, modules=["finance"], permissions=["finance.*"])
    assert delegation.set_delegation_by(manager(), t, keep_foreign)  # only basic removed: allowed


# -- listing --------------------------------------------------------------------------------------


def test_listing_members_is_for_owners_and_delegators() -> None:
    u = user()
    assert may_list_members(u, membership(u, role=Role.OWNER))
    assert may_list_members(u, membership(u, can_manage_members=True))
    assert may_list_members(u, membership(u, delegate_modules=["basic"]))
    assert not may_list_members(u, membership(u, role=Role.ADMIN, modules=["basic"]))
    assert not may_list_members(u, membership(u, role=Role.OWNER, status=MembershipStatus.SUSPENDED))
    suspended = user(status=UserStatus.SUSPENDED)
    assert not may_list_members(suspended, membership(suspended, role=Role.OWNER))


# -- no escalation, as properties -----------------------------------------------------------------

MODULES = st.sampled_from(["basic", "finance", "market"])
RESOURCES = st.sampled_from(["artist", "event", "budget"])
ACTIONS = st.sampled_from(["view", "edit"])
KEYS = st.tuples(MODULES, RESOURCES, ACTIONS).map(".".join)
PATTERNS = st.one_of(
    KEYS, MODULES.map(lambda m: f"{m}.*"), st.tuples(MODULES, RESOURCES).map(lambda t: f"{t[0]}.{t[1]}.*")
)
PATTERN_SETS = st.frozensets(PATTERNS, max_size=4)
MODULE_SETS = st.frozensets(MODULES, max_size=3)
FULL_CATALOG = PermissionCatalog(
    version=1,
    keys=frozenset(
        f"{m}.{r}.{a}"
        for m in ("basic", "finance", "market")
        for r in ("artist", "event", "budget")
        for a in ("view", "edit")
    ),
)


@st.composite
def actors(draw: st.DrawFn) -> tuple[User, Membership, frozenset[str]]:
    u = user()
    m = membership(
        u,
        role=draw(st.sampled_from([Role.MEMBER, Role.ADMIN, Role.OWNER])),
        modules=draw(MODULE_SETS),
        permissions=draw(PATTERN_SETS),
        can_manage_members=draw(st.booleans()),
        delegate_modules=draw(MODULE_SETS),
        delegate_permissions=draw(PATTERN_SETS),
    )
    return u, m, draw(MODULE_SETS)


@settings(max_examples=400)
@given(actor=actors(), grant_modules=MODULE_SETS, grant_patterns=PATTERN_SETS, policy_patterns=PATTERN_SETS)
def test_whatever_is_granted_stays_inside_the_callers_own_delegated_access(
    actor: tuple[User, Membership, frozenset[str]],
    grant_modules: frozenset[str],
    grant_patterns: frozenset[str],
    policy_patterns: frozenset[str],
) -> None:
    u, m, enabled = actor
    ents = entitlements(*enabled)
    auth = Authority.of(user=u, membership=m, entitlements=ents)
    mine = compute_effective_access(user=u, membership=m, entitlements=ents, catalog=FULL_CATALOG)
    t_user = user()
    t = membership(t_user)
    try:
        delegation.grant_modules_by(auth, t, grant_modules)
        delegation.grant_permissions_by(auth, t, grant_patterns)
        delegation.set_delegation_by(
            auth, t, DelegationPolicy.of(can_manage_members=False, modules=grant_modules, permissions=policy_patterns)
        )
    except DelegationExceeded:
        return
    theirs = compute_effective_access(user=t_user, membership=t, entitlements=ents, catalog=FULL_CATALOG)
    assert set(theirs.modules) <= set(mine.delegation.modules)
    assert set(theirs.permissions) <= set(mine.delegation.permissions)
    assert set(theirs.delegation.modules) <= set(mine.delegation.modules)
    assert set(theirs.delegation.permissions) <= set(mine.delegation.permissions)
    # ... and for keys that no catalog has yet: a fresh key under each granted pattern is held
    # and delegable by the caller as written.
    effective = set(mine.modules)
    held = (
        {f"{mod}.*" for mod in effective}
        if m.is_owner
        else {p for p in m.permission_grants if p.split(".")[0] in effective}
    )
    delegable = held if m.is_owner else {p for p in m.delegation.permissions if p.split(".")[0] in effective}
    for pattern in grant_patterns:
        fresh = ".".join([*pattern.removesuffix(".*").split("."), "zzfresh", "zzfresh"][:3])
        assert matches(pattern, fresh)
        assert any(matches(q, fresh) for q in held)
        assert any(matches(q, fresh) for q in delegable)


@settings(max_examples=300)
@given(actor=actors(), pattern=PATTERNS)
def test_a_pattern_is_delegable_exactly_when_one_held_and_one_delegated_pattern_cover_it(
    actor: tuple[User, Membership, frozenset[str]], pattern: str
) -> None:
    u, m, enabled = actor
    auth = Authority.of(user=u, membership=m, entitlements=entitlements(*enabled))
    module = pattern.split(".")[0]
    if m.is_owner:
        expected = module in enabled
    else:
        effective = enabled & m.module_grants

        def covered(patterns: frozenset[str]) -> bool:
            from kisum.domain.permissions import pattern_covers

            return any(pattern_covers(p, pattern) for p in patterns if p.split(".")[0] in effective)

        expected = covered(m.permission_grants) and covered(m.delegation.permissions)
    t = target()
    try:
        delegation.grant_permissions_by(auth, t, [pattern])
        allowed = True
    except DelegationExceeded:
        allowed = False
    assert allowed is expected
    assert (t.permission_grants == {pattern}) is allowed


@settings(max_examples=200)
@given(actor=actors(), t_role=st.sampled_from(list(Role)))
def test_a_non_owner_never_touches_an_owner_and_nobody_touches_themselves(
    actor: tuple[User, Membership, frozenset[str]], t_role: Role
) -> None:
    u, m, enabled = actor
    auth = Authority.of(user=u, membership=m, entitlements=entitlements(*enabled))
    other = target(role=t_role)
    for subject in (m, other):
        before = (subject.role, subject.status, subject.access_version)
        forbidden = subject is m or (t_role is Role.OWNER and not m.is_owner)
        if not forbidden:
            continue
        refused(
            lambda subject=subject: delegation.update_membership_by(auth, subject, status=MembershipStatus.SUSPENDED)
        )  # type: ignore[misc]
        refused(lambda subject=subject: delegation.grant_modules_by(auth, subject, []))  # type: ignore[misc]
        assert (subject.role, subject.status, subject.access_version) == before
