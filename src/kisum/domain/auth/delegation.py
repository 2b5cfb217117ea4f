"""Delegation without escalation: who may change whose grants, role and status.

A caller's ``Authority`` is derived from the same inputs as its effective access:

- ``access_patterns``: the patterns the caller effectively holds: its permission grants whose
  module is among its effective modules (an owner: ``m.*`` for every enabled module);
- ``delegable_patterns`` / ``delegable_modules``: its delegation policy ∩ its own effective
  access (an owner: everything it holds);
- ``can_manage_members``: from the policy (an owner: always). A suspended caller (membership or
  user) has no authority at all.

Rules (every violation raises ``DelegationExceeded``, 403, before anything is changed):

1. The target must be in the caller's company, and nobody changes their own membership.
2. Granting or revoking a module needs it in ``delegable_modules``; granting or revoking a
   permission pattern needs it covered (``pattern_covers``, over every possible key) by one of
   ``access_patterns`` AND by one of ``delegable_patterns``. Granting ``basic.*`` therefore needs
   ``basic.*``, not only ``basic.artist.view``.
3. Setting a delegation policy: every module/pattern that is added or removed must be delegable
   as in rule 2, and turning ``can_manage_members`` on or off needs ``can_manage_members``.
4. Creating a membership, changing a role or a status needs ``can_manage_members``.
5. Only owners change owners: making or unmaking an owner, suspending or reactivating an owner,
   changing an owner's grants or delegation policy, creating an owner membership.
6. Choice where DESIGN is silent: a non-owner may change the role or status of a member only if
   that member's grants and delegation policy lie entirely inside the caller's own delegation
   (suspending someone revokes everything they hold; reactivating restores it). Otherwise a
   narrowly-delegated manager could switch off (or back on) someone with more access.
7. Choice where DESIGN is silent: an owner may revoke any grant in its company, even for a module
   that is not enabled right now (revoking can never escalate, and otherwise stale grants could
   not be cleaned up). Granting is always limited to enabled modules, owners included.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from kisum.domain.auth.access import Entitlements
from kisum.domain.auth.errors import DelegationExceeded
from kisum.domain.auth.identity import (
    DelegationPolicy,
    Membership,
    MembershipStatus,
    Role,
    User,
    parse_modules,
    parse_patterns,
)
from kisum.domain.permissions import WILDCARD, covered_by_any, module_of


@dataclass(frozen=True, slots=True)
class Authority:
    """What one caller may do to other memberships of one company."""

    user_id: UUID
    membership_id: UUID
    company_id: UUID
    is_owner: bool
    can_manage_members: bool
    delegable_modules: frozenset[str]
    access_patterns: frozenset[str]
    delegable_patterns: frozenset[str]

    @classmethod
    def of(cls, *, user: User, membership: Membership, entitlements: Entitlements) -> Authority:
        if membership.user_id != user.id:
            raise ValueError("the membership does not belong to this user")
        if membership.company_id != entitlements.company_id:
            raise ValueError("the entitlements are not those of the membership's company")
        if not (user.is_active and membership.is_active):
            return cls(
                user_id=user.id,
                membership_id=membership.id,
                company_id=membership.company_id,
                is_owner=False,
                can_manage_members=False,
                delegable_modules=frozenset(),
                access_patterns=frozenset(),
                delegable_patterns=frozenset(),
            )
        enabled = entitlements.enabled_modules
        if membership.is_owner:
            everything = frozenset(f"{m}.{WILDCARD}" for m in enabled)
            return cls(
                user_id=user.id,
                membership_id=membership.id,
                company_id=membership.company_id,
                is_owner=True,
                can_manage_members=True,
                delegable_modules=enabled,
                access_patterns=everything,
                delegable_patterns=everything,
            )
        modules = enabled & membership.module_grants
        policy = membership.delegation
        return cls(
            user_id=user.id,
            membership_id=membership.id,
            company_id=membership.company_id,
            is_owner=False,
            can_manage_members=policy.can_manage_members,
            delegable_modules=policy.modules & modules,
            access_patterns=frozenset(p for p in membership.permission_grants if module_of(p) in modules),
            delegable_patterns=frozenset(p for p in policy.permissions if module_of(p) in modules),
        )

    # -- predicates ---------------------------------------------------------------------------

    def may_delegate_module(self, module: str) -> bool:
        return module in self.delegable_modules

    def may_delegate_pattern(self, pattern: str) -> bool:
        return covered_by_any(self.access_patterns, pattern) and covered_by_any(self.delegable_patterns, pattern)

    def may_revoke_module(self, module: str) -> bool:
        return self.is_owner or self.may_delegate_module(module)

    def may_revoke_pattern(self, pattern: str) -> bool:
        return self.is_owner or self.may_delegate_pattern(pattern)

    def reaches(self, target: Membership) -> bool:
        """Does everything ``target`` holds lie inside what this caller may hand out? (rule 6)"""
        if self.is_owner:
            return True
        policy = target.delegation
        return (
            all(self.may_delegate_module(m) for m in target.module_grants | policy.modules)
            and all(self.may_delegate_pattern(p) for p in target.permission_grants | policy.permissions)
            and (self.can_manage_members or not policy.can_manage_members)
        )

    # -- checks (raise DelegationExceeded) -----------------------------------------------------

    def _ensure_other_member(self, target: Membership) -> None:
        if target.company_id != self.company_id:
            raise DelegationExceeded("The membership is not in your company.")
        if target.id == self.membership_id or target.user_id == self.user_id:
            raise DelegationExceeded("You cannot change your own membership.")
        if target.is_owner and not self.is_owner:
            raise DelegationExceeded("Only an owner can change an owner.")

    def _ensure_manager(self) -> None:
        if not self.can_manage_members:
            raise DelegationExceeded("You cannot manage members.")

    def ensure_may_create_membership(self, role: Role) -> None:
        self._ensure_manager()
        if Role(role) is Role.OWNER and not self.is_owner:
            raise DelegationExceeded("Only an owner can create an owner.")

    def ensure_may_grant_modules(self, target: Membership, modules: Iterable[str]) -> None:
        self._ensure_other_member(target)
        outside = sorted(m for m in parse_modules(modules) if not self.may_delegate_module(m))
        if outside:
            raise DelegationExceeded(f"You cannot grant modules outside your delegation: {', '.join(outside)}.")

    def ensure_may_revoke_module(self, target: Membership, module: str) -> None:
        self._ensure_other_member(target)
        if not all(self.may_revoke_module(m) for m in parse_modules([module])):
            raise DelegationExceeded(f"You cannot revoke the module {module!r}: it is outside your delegation.")

    def ensure_may_grant_permissions(self, target: Membership, patterns: Iterable[str]) -> None:
        self._ensure_other_member(target)
        outside = sorted(p for p in parse_patterns(patterns) if not self.may_delegate_pattern(p))
        if outside:
            raise DelegationExceeded(f"You cannot grant permissions outside your delegation: {', '.join(outside)}.")

    def ensure_may_revoke_permission(self, target: Membership, pattern: str) -> None:
        self._ensure_other_member(target)
        if not all(self.may_revoke_pattern(p) for p in parse_patterns([pattern])):
            raise DelegationExceeded(f"You cannot revoke {pattern!r}: it is outside your delegation.")

    def ensure_may_set_delegation(self, target: Membership, policy: DelegationPolicy) -> None:
        self._ensure_other_member(target)
        current = target.delegation
        added_modules = policy.modules - current.modules
        removed_modules = current.modules - policy.modules
        added_patterns = policy.permissions - current.permissions
        removed_patterns = current.permissions - policy.permissions
        refused = sorted(
            [m for m in added_modules if not self.may_delegate_module(m)]
            + [m for m in removed_modules if not self.may_revoke_module(m)]
            + [p for p in added_patterns if not self.may_delegate_pattern(p)]
            + [p for p in removed_patterns if not self.may_revoke_pattern(p)]
        )
        if refused:
            raise DelegationExceeded(
                f"The delegation policy changes entries outside your delegation: {', '.join(refused)}."
            )
        if policy.can_manage_members != current.can_manage_members:
            self._ensure_manager()

    def ensure_may_change_role(self, target: Membership, role: Role) -> None:
        self._ensure_other_member(target)
        self._ensure_manager()
        if Role(role) is Role.OWNER and not self.is_owner:
            raise DelegationExceeded("Only an owner can make an owner.")
        if not self.reaches(target):
            raise DelegationExceeded("This member holds access outside your delegation.")

    def ensure_may_change_status(self, target: Membership, status: MembershipStatus) -> None:
        MembershipStatus(status)
        self._ensure_other_member(target)
        self._ensure_manager()
        if not self.reaches(target):
            raise DelegationExceeded("This member holds access outside your delegation.")


# -- tenant operations: check, then change (handlers call these, never the raw mutators) -------


def create_membership_by(
    authority: Authority, *, membership_id: UUID, user_id: UUID, role: Role, now: datetime
) -> Membership:
    authority.ensure_may_create_membership(role)
    return Membership.create(
        membership_id=membership_id, user_id=user_id, company_id=authority.company_id, role=role, now=now
    )


def grant_modules_by(authority: Authority, target: Membership, modules: Iterable[str]) -> frozenset[str]:
    modules = parse_modules(modules)
    authority.ensure_may_grant_modules(target, modules)
    return target.grant_modules(modules)


def revoke_module_by(authority: Authority, target: Membership, module: str) -> bool:
    authority.ensure_may_revoke_module(target, module)
    return target.revoke_module(module)


def grant_permissions_by(authority: Authority, target: Membership, patterns: Iterable[str]) -> frozenset[str]:
    patterns = parse_patterns(patterns)
    authority.ensure_may_grant_permissions(target, patterns)
    return target.grant_permissions(patterns)


def revoke_permission_by(authority: Authority, target: Membership, pattern: str) -> bool:
    authority.ensure_may_revoke_permission(target, pattern)
    return target.revoke_permission(pattern)


def set_delegation_by(authority: Authority, target: Membership, policy: DelegationPolicy) -> bool:
    authority.ensure_may_set_delegation(target, policy)
    return target.set_delegation(policy)


def update_membership_by(
    authority: Authority, target: Membership, *, role: Role | None = None, status: MembershipStatus | None = None
) -> bool:
    """Change role and/or status; both checks pass before either change is made."""
    if role is not None:
        authority.ensure_may_change_role(target, role)
    if status is not None:
        authority.ensure_may_change_status(target, status)
    changed = target.change_role(role) if role is not None else False
    if status is not None:
        changed = target.change_status(status) or changed
    return changed


def may_list_members(user: User, membership: Membership) -> bool:
    """Seeing a company's members (emails, grants) is for those who manage or delegate there.

    Decided on the policy alone (no entitlements needed): owners, ``can_manage_members``, or a
    non-empty delegation policy; always an active user with an active membership.
    """
    if not (user.is_active and membership.is_active):
        return False
    return membership.is_owner or not membership.delegation.is_empty
