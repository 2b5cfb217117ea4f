"""Identity (users) and tenant memberships with their grants.

A ``Membership`` stores grants exactly as written (patterns are not expanded here; the
catalog may grow). Every change of grants, delegation policy, role or status bumps
``access_version`` so that any cached access computed from the old state stops being used.

The mutators here do not check who is asking: tenant changes go through
``kisum.domain.auth.delegation`` which checks the caller's authority first and then calls them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from kisum.domain.auth.errors import InvalidEmail, InvalidName
from kisum.domain.permissions import is_valid_key, parse_module, parse_pattern

MAX_EMAIL_LENGTH = 254
MAX_LOCAL_PART_LENGTH = 64
MAX_NAME_LENGTH = 200
_EMAIL_FORBIDDEN = frozenset('"(),:;<>[\\]')


def _require_aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("datetimes in the domain must be timezone-aware")
    return instant


def _has_control_or_space(text: str) -> bool:
    return any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in text)


def normalize_email(raw: str) -> str:
    """NFC, trimmed, lower-cased and checked; raises ``InvalidEmail``.

    Lower-casing the local part is a deliberate choice: one mailbox, one account; it stops
    ``Alice@x.io`` and ``alice@x.io`` from being two identities an attacker could confuse.
    """
    email = unicodedata.normalize("NFC", raw).strip().lower()
    if not email or len(email) > MAX_EMAIL_LENGTH:
        raise InvalidEmail("The email address is empty or too long.")
    if _has_control_or_space(email) or any(ch in _EMAIL_FORBIDDEN for ch in email):
        raise InvalidEmail("The email address contains characters that are not allowed.")
    local, sep, domain = email.rpartition("@")
    if not sep or not local or not domain or "@" in local or len(local) > MAX_LOCAL_PART_LENGTH:
        raise InvalidEmail("The email address must look like name@domain.")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise InvalidEmail("The email address has misplaced dots.")
    for label in domain.split("."):
        if not label or label.startswith("-") or label.endswith("-"):
            raise InvalidEmail("The email domain is not valid.")
        if not all(ch.isalnum() or ch == "-" for ch in label):
            raise InvalidEmail("The email domain is not valid.")
    return email


def lookup_email(raw: str) -> str | None:
    """The normalised form of ``raw`` for look-ups, or None if it can name no account."""
    try:
        return normalize_email(raw)
    except InvalidEmail:
        return None


def normalize_name(raw: str) -> str:
    name = unicodedata.normalize("NFC", raw).strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise InvalidName(f"The name must have 1 to {MAX_NAME_LENGTH} characters.")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise InvalidName("The name contains control characters.")
    return name


class UserStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


@dataclass(slots=True)
class User:
    id: UUID
    email: str
    name: str
    password_hash: str | None
    is_platform_admin: bool
    token_version: int
    status: UserStatus
    created_at: datetime

    @classmethod
    def register(
        cls,
        *,
        user_id: UUID,
        email: str,
        name: str,
        password_hash: str | None,
        now: datetime,
        is_platform_admin: bool = False,
    ) -> User:
        """A new active user; ``password_hash`` None means the account cannot log in yet."""
        return cls(
            id=user_id,
            email=normalize_email(email),
            name=normalize_name(name),
            password_hash=password_hash,
            is_platform_admin=is_platform_admin,
            token_version=1,
            status=UserStatus.ACTIVE,
            created_at=_require_aware(now),
        )

    @property
    def is_active(self) -> bool:
        return self.status is UserStatus.ACTIVE

    @property
    def can_log_in(self) -> bool:
        return self.is_active and self.password_hash is not None

    def change_password_hash(self, password_hash: str) -> None:
        self.password_hash = password_hash

    def bump_token_version(self) -> None:
        """Every access token issued so far stops working at once."""
        self.token_version += 1

    def suspend(self) -> None:
        if self.status is not UserStatus.SUSPENDED:
            self.status = UserStatus.SUSPENDED
            self.bump_token_version()

    def activate(self) -> None:
        if self.status is not UserStatus.ACTIVE:
            self.status = UserStatus.ACTIVE
            self.bump_token_version()


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class MembershipStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


def parse_modules(modules: Iterable[str]) -> frozenset[str]:
    return frozenset(parse_module(m) for m in modules)


def parse_patterns(patterns: Iterable[str]) -> frozenset[str]:
    return frozenset(parse_pattern(p) for p in patterns)


@dataclass(frozen=True, slots=True)
class DelegationPolicy:
    """What a member may hand on to others, before intersecting with their own access."""

    can_manage_members: bool = False
    modules: frozenset[str] = field(default_factory=frozenset)
    permissions: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        parse_modules(self.modules)
        parse_patterns(self.permissions)

    @classmethod
    def of(cls, *, can_manage_members: bool, modules: Iterable[str], permissions: Iterable[str]) -> DelegationPolicy:
        return cls(
            can_manage_members=can_manage_members,
            modules=parse_modules(modules),
            permissions=parse_patterns(permissions),
        )

    @property
    def is_empty(self) -> bool:
        return not (self.can_manage_members or self.modules or self.permissions)


@dataclass(slots=True)
class Membership:
    id: UUID
    user_id: UUID
    company_id: UUID
    role: Role
    status: MembershipStatus
    module_grants: frozenset[str]
    permission_grants: frozenset[str]
    delegation: DelegationPolicy
    access_version: int
    created_at: datetime

    @classmethod
    def create(cls, *, membership_id: UUID, user_id: UUID, company_id: UUID, role: Role, now: datetime) -> Membership:
        """A new active membership with no grants and an empty delegation policy."""
        return cls(
            id=membership_id,
            user_id=user_id,
            company_id=company_id,
            role=Role(role),
            status=MembershipStatus.ACTIVE,
            module_grants=frozenset(),
            permission_grants=frozenset(),
            delegation=DelegationPolicy(),
            access_version=1,
            created_at=_require_aware(now),
        )

    @property
    def is_active(self) -> bool:
        return self.status is MembershipStatus.ACTIVE

    @property
    def is_owner(self) -> bool:
        return self.role is Role.OWNER

    def _bump(self) -> None:
        self.access_version += 1

    def grant_modules(self, modules: Iterable[str]) -> frozenset[str]:
        """Add module grants; returns the ones that were new."""
        added = parse_modules(modules) - self.module_grants
        if added:
            self.module_grants = self.module_grants | added
            self._bump()
        return added

    def revoke_module(self, module: str) -> bool:
        module = parse_module(module)
        if module not in self.module_grants:
            return False
        self.module_grants = self.module_grants - {module}
        self._bump()
        return True

    def grant_permissions(self, patterns: Iterable[str]) -> frozenset[str]:
        """Add permission grants (patterns as written); returns the ones that were new."""
        added = parse_patterns(patterns) - self.permission_grants
        if added:
            self.permission_grants = self.permission_grants | added
            self._bump()
        return added

    def revoke_permission(self, pattern: str) -> bool:
        pattern = parse_pattern(pattern)
        if pattern not in self.permission_grants:
            return False
        self.permission_grants = self.permission_grants - {pattern}
        self._bump()
        return True

    def set_delegation(self, policy: DelegationPolicy) -> bool:
        if policy == self.delegation:
            return False
        self.delegation = policy
        self._bump()
        return True

    def change_role(self, role: Role) -> bool:
        role = Role(role)
        if role is self.role:
            return False
        self.role = role
        self._bump()
        return True

    def change_status(self, status: MembershipStatus) -> bool:
        status = MembershipStatus(status)
        if status is self.status:
            return False
        self.status = status
        self._bump()
        return True

    def forget_permission_key(self, key: str) -> bool:
        """A catalog key was deleted: drop it where it was granted or delegated as a concrete key.

        Otherwise re-creating the key later would silently revive the old grant.
        """
        if not is_valid_key(key):
            return False
        grants = self.permission_grants - {key}
        delegated = self.delegation.permissions - {key}
        if grants == self.permission_grants and delegated == self.delegation.permissions:
            return False
        self.permission_grants = grants
        self.delegation = DelegationPolicy(
            can_manage_members=self.delegation.can_manage_members,
            modules=self.delegation.modules,
            permissions=delegated,
        )
        self._bump()
        return True
