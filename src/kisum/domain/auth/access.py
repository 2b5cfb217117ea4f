"""Effective access (DESIGN §2): entitlements ∩ the membership's grants.

- modules = enabledModules ∩ module grants;
- permissions = catalog keys matching a granted pattern whose module is in ``modules``
  (expanded, sorted);
- delegation = the delegation policy ∩ the member's own effective access;
- an ``owner`` implicitly holds every enabled module, every catalog permission of those
  modules and full delegation, in that company only; nobody else has anything implicit;
- a suspended membership or a suspended user has no access at all: the model is returned with
  empty modules, permissions and delegation (the role is still reported).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from kisum.domain.auth.identity import Membership, Role, User
from kisum.domain.permissions import expand, is_valid_key, module_of, parse_key, parse_module


@dataclass(frozen=True, slots=True)
class Entitlements:
    """What the company paid for, as computed by core. Auth never computes this."""

    company_id: UUID
    entitlement_version: int
    enabled_modules: frozenset[str]
    valid_until: datetime | None

    def __post_init__(self) -> None:
        for module in self.enabled_modules:
            parse_module(module)
        if self.valid_until is not None and self.valid_until.tzinfo is None:
            raise ValueError("valid_until must be timezone-aware")

    def is_expired(self, now: datetime) -> bool:
        """Past ``validUntil`` the snapshot may be wrong (time ended a subscription): refetch."""
        return self.valid_until is not None and now >= self.valid_until


@dataclass(frozen=True, slots=True)
class Permission:
    """A catalog entry: a concrete key and what it allows."""

    key: str
    description: str = ""

    def __post_init__(self) -> None:
        parse_key(self.key)

    @property
    def module(self) -> str:
        return module_of(self.key)


@dataclass(frozen=True, slots=True)
class PermissionCatalog:
    """The concrete keys at one catalog version (the version is part of ``accessVersion``)."""

    version: int
    keys: frozenset[str]

    def __post_init__(self) -> None:
        # Entries that are not valid keys can never be granted (fail closed).
        object.__setattr__(self, "keys", frozenset(k for k in self.keys if is_valid_key(k)))

    def unknown(self, keys: Iterable[str]) -> list[str]:
        return sorted(k for k in keys if k not in self.keys)


@dataclass(frozen=True, slots=True)
class DelegationAccess:
    can_manage_members: bool = False
    modules: tuple[str, ...] = ()
    permissions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AccessModel:
    """The answer of ``GET /auth/me/access``."""

    user_id: UUID
    company_id: UUID
    membership_id: UUID
    role: Role
    modules: tuple[str, ...]
    permissions: tuple[str, ...]
    delegation: DelegationAccess = field(default_factory=DelegationAccess)
    entitlement_version: int = 0
    access_version: str = ""
    valid_until: datetime | None = None


def access_version(*, entitlements: Entitlements, membership: Membership, user: User, catalog_version: int) -> str:
    """Changes whenever any input of the access computation changes.

    ``{entitlementVersion}.{membership.access_version}.{user.token_version}.{catalogVersion}``;
    the catalog is part of it because adding or deleting a catalog key changes the expansion.
    """
    return access_version_of(
        entitlement_version=entitlements.entitlement_version,
        membership_access_version=membership.access_version,
        token_version=user.token_version,
        catalog_version=catalog_version,
    )


def access_version_of(
    *, entitlement_version: int, membership_access_version: int, token_version: int, catalog_version: int
) -> str:
    """``access_version`` from the version numbers alone (the hot path reads only those)."""
    return f"{entitlement_version}.{membership_access_version}.{token_version}.{catalog_version}"


def _check_inputs(user: User, membership: Membership, entitlements: Entitlements) -> None:
    if membership.user_id != user.id:
        raise ValueError("the membership does not belong to this user")
    if membership.company_id != entitlements.company_id:
        raise ValueError("the entitlements are not those of the membership's company")


def has_any_access(user: User, membership: Membership) -> bool:
    return user.is_active and membership.is_active


def compute_effective_access(
    *, user: User, membership: Membership, entitlements: Entitlements, catalog: PermissionCatalog
) -> AccessModel:
    _check_inputs(user, membership, entitlements)
    base = AccessModel(
        user_id=user.id,
        company_id=membership.company_id,
        membership_id=membership.id,
        role=membership.role,
        modules=(),
        permissions=(),
        entitlement_version=entitlements.entitlement_version,
        access_version=access_version(
            entitlements=entitlements, membership=membership, user=user, catalog_version=catalog.version
        ),
        valid_until=entitlements.valid_until,
    )
    if not has_any_access(user, membership):
        return base

    enabled = entitlements.enabled_modules
    if membership.is_owner:
        modules = tuple(sorted(enabled))
        permissions = tuple(sorted(k for k in catalog.keys if module_of(k) in enabled))
        delegation = DelegationAccess(can_manage_members=True, modules=modules, permissions=permissions)
    else:
        module_set = enabled & membership.module_grants
        modules = tuple(sorted(module_set))
        permissions = tuple(k for k in expand(membership.permission_grants, catalog.keys) if module_of(k) in module_set)
        policy = membership.delegation
        delegation = DelegationAccess(
            can_manage_members=policy.can_manage_members,
            modules=tuple(sorted(policy.modules & module_set)),
            permissions=tuple(expand(policy.permissions, permissions)),
        )
    return AccessModel(
        user_id=base.user_id,
        company_id=base.company_id,
        membership_id=base.membership_id,
        role=base.role,
        modules=modules,
        permissions=permissions,
        delegation=delegation,
        entitlement_version=base.entitlement_version,
        access_version=base.access_version,
        valid_until=base.valid_until,
    )
