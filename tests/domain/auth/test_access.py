from __future__ import annotations

from datetime import timedelta

import pytest

from kisum.domain.auth.access import (
    AccessModel,
    DelegationAccess,
    Entitlements,
    PermissionCatalog,
    compute_effective_access,
)
from kisum.domain.auth.identity import MembershipStatus, Role, UserStatus
from kisum.domain.permissions import InvalidModule
from tests.domain.auth.builders import (
    CATALOG,
    CATALOG_KEYS,
    COMPANY,
    NOW,
    OTHER_COMPANY,
    entitlements,
    membership,
    user,
)


def access(u, m, ents=None, catalog=CATALOG) -> AccessModel:  # type: ignore[no-untyped-def]
    return compute_effective_access(user=u, membership=m, entitlements=ents or entitlements("basic"), catalog=catalog)


def test_seed_example_basic_inactive_with_finance_and_market_addons_gives_those_modules() -> None:
    u = user()
    m = membership(u, modules=["basic", "finance", "market"], permissions=["basic.*", "finance.*", "market.deal.view"])
    result = access(u, m, entitlements("finance", "market"))
    assert result.modules == ("finance", "market")
    assert result.permissions == ("finance.budget.edit", "finance.budget.view", "market.deal.view")


def test_seed_example_basic_active_with_finance_addon_for_an_owner() -> None:
    u = user()
    m = membership(u, role=Role.OWNER)
    result = access(u, m, entitlements("basic", "finance"))
    assert result.modules == ("basic", "finance")
    assert result.permissions == tuple(sorted(k for k in CATALOG_KEYS if k.startswith(("basic.", "finance."))))
    assert result.delegation == DelegationAccess(
        can_manage_members=True, modules=("basic", "finance"), permissions=result.permissions
    )


def test_modules_are_enabled_modules_intersected_with_grants() -> None:
    u = user()
    m = membership(u, modules=["basic", "touring"])
    assert access(u, m, entitlements("basic", "finance")).modules == ("basic",)


def test_permissions_need_their_module_in_effective_modules() -> None:
    u = user()
    m = membership(u, modules=["basic"], permissions=["basic.artist.view", "finance.*"])
    result = access(u, m, entitlements("basic", "finance"))
    assert result.permissions == ("basic.artist.view",)


def test_permissions_are_expanded_to_catalog_keys_and_sorted() -> None:
    u = user()
    m = membership(u, modules=["basic"], permissions=["basic.artist.*", "basic.dashboard.view", "basic.ghost.view"])
    assert access(u, m).permissions == (
        "basic.artist.create",
        "basic.artist.delete",
        "basic.artist.edit",
        "basic.artist.view",
        "basic.dashboard.view",
    )


def test_a_non_owner_has_nothing_implicit() -> None:
    for role in (Role.ADMIN, Role.MEMBER):
        u = user()
        m = membership(u, role=role)
        result = access(u, m, entitlements("basic", "finance"))
        assert result.modules == ()
        assert result.permissions == ()
        assert result.delegation == DelegationAccess()


def test_owner_gets_only_enabled_modules_and_only_catalog_keys() -> None:
    u = user()
    m = membership(u, role=Role.OWNER, modules=["touring"], permissions=["touring.*"])
    result = access(u, m, entitlements("market"))
    assert result.modules == ("market",)
    assert result.permissions == ("market.deal.edit", "market.deal.view")


def test_delegation_is_the_policy_intersected_with_own_access() -> None:
    u = user()
    m = membership(
        u,
        modules=["basic", "finance"],
        permissions=["basic.artist.view", "finance.budget.view"],
        can_manage_members=True,
        delegate_modules=["basic", "finance", "market"],
        delegate_permissions=["basic.*", "market.*"],
    )
    result = access(u, m, entitlements("basic", "market"))
    assert result.delegation == DelegationAccess(
        can_manage_members=True, modules=("basic",), permissions=("basic.artist.view",)
    )


@pytest.mark.parametrize("role", list(Role))
def test_a_suspended_membership_has_no_access_at_all(role: Role) -> None:
    u = user()
    m = membership(
        u,
        role=role,
        status=MembershipStatus.SUSPENDED,
        modules=["basic"],
        permissions=["basic.*"],
        can_manage_members=True,
    )
    result = access(u, m)
    assert (result.modules, result.permissions, result.delegation) == ((), (), DelegationAccess())
    assert result.role is role


@pytest.mark.parametrize("role", list(Role))
def test_a_suspended_user_has_no_access_at_all(role: Role) -> None:
    u = user(status=UserStatus.SUSPENDED)
    m = membership(u, role=role, modules=["basic"], permissions=["basic.*"])
    result = access(u, m)
    assert (result.modules, result.permissions, result.delegation) == ((), (), DelegationAccess())


def test_the_model_carries_ids_versions_and_valid_until() -> None:
    u = user(token_version=4)
    m = membership(u, modules=["basic"])
    m.access_version = 9
    until = NOW + timedelta(days=2)
    result = access(u, m, entitlements("basic", version=12, valid_until=until), PermissionCatalog(5, CATALOG_KEYS))
    assert (result.user_id, result.company_id, result.membership_id, result.role) == (u.id, COMPANY, m.id, Role.MEMBER)
    assert result.entitlement_version == 12
    assert result.access_version == "12.9.4.5"
    assert result.valid_until == until


def test_access_version_changes_with_every_input() -> None:
    u = user()
    m = membership(u, modules=["basic"])
    base = access(u, m).access_version
    m.grant_modules(["finance"])
    after_grant = access(u, m).access_version
    u.bump_token_version()
    after_logout_all = access(u, m).access_version
    after_entitlements = access(u, m, entitlements("basic", version=99)).access_version
    after_catalog = access(u, m, catalog=PermissionCatalog(CATALOG.version + 1, CATALOG_KEYS)).access_version
    versions = [base, after_grant, after_logout_all, after_entitlements, after_catalog]
    assert len(set(versions)) == len(versions)


def test_inputs_of_another_company_or_user_are_refused() -> None:
    u = user()
    m = membership(u)
    with pytest.raises(ValueError, match="company"):
        access(u, m, entitlements("basic", company=OTHER_COMPANY))
    with pytest.raises(ValueError, match="user"):
        access(user(), m)


def test_entitlements_refuse_invalid_module_keys() -> None:
    with pytest.raises(InvalidModule):
        Entitlements(company_id=COMPANY, entitlement_version=1, enabled_modules=frozenset({"Basic"}), valid_until=None)


def test_entitlements_expire_at_valid_until() -> None:
    ents = entitlements("basic", valid_until=NOW)
    assert ents.is_expired(NOW)
    assert not ents.is_expired(NOW - timedelta(seconds=1))
    assert not entitlements("basic").is_expired(NOW)


def test_catalog_drops_invalid_keys() -> None:
    catalog = PermissionCatalog(version=1, keys=frozenset({"basic.artist.view", "basic.*", "junk"}))
    assert catalog.keys == frozenset({"basic.artist.view"})
