"""Read models returned by handlers (the HTTP layer maps them to camelCase Structs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from kisum.domain.auth.identity import DelegationPolicy, Membership, MembershipStatus, Role, User
from kisum.domain.auth.sessions import Session


@dataclass(frozen=True, slots=True)
class UserView:
    id: UUID
    email: str
    name: str
    is_platform_admin: bool

    @classmethod
    def of(cls, user: User) -> UserView:
        return cls(id=user.id, email=user.email, name=user.name, is_platform_admin=user.is_platform_admin)


@dataclass(frozen=True, slots=True)
class TokenPair:
    """Answer of login and refresh."""

    access_token: str
    refresh_token: str
    expires_in: int
    session_id: UUID
    user: UserView
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, once an access token has been checked against its session."""

    user_id: UUID
    session_id: UUID
    token_version: int
    is_platform_admin: bool


@dataclass(frozen=True, slots=True)
class MembershipSummary:
    membership_id: UUID
    company_id: UUID
    role: Role
    status: MembershipStatus


@dataclass(frozen=True, slots=True)
class MeView:
    id: UUID
    email: str
    name: str
    is_platform_admin: bool
    memberships: tuple[MembershipSummary, ...]


@dataclass(frozen=True, slots=True)
class SessionView:
    id: UUID
    user_agent: str | None
    ip: str | None
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    current: bool

    @classmethod
    def of(cls, session: Session, *, current_session_id: UUID | None) -> SessionView:
        return cls(
            id=session.id,
            user_agent=session.user_agent,
            ip=session.ip,
            created_at=session.created_at,
            last_used_at=session.last_used_at,
            expires_at=session.expires_at,
            current=session.id == current_session_id,
        )


@dataclass(frozen=True, slots=True)
class DelegationView:
    can_manage_members: bool
    modules: tuple[str, ...]
    permissions: tuple[str, ...]

    @classmethod
    def of(cls, policy: DelegationPolicy) -> DelegationView:
        return cls(
            can_manage_members=policy.can_manage_members,
            modules=tuple(sorted(policy.modules)),
            permissions=tuple(sorted(policy.permissions)),
        )


@dataclass(frozen=True, slots=True)
class MembershipView:
    """A membership with its grants as written (patterns not expanded), sorted."""

    membership_id: UUID
    user_id: UUID
    company_id: UUID
    email: str
    name: str
    role: Role
    status: MembershipStatus
    modules: tuple[str, ...]
    permissions: tuple[str, ...]
    delegation: DelegationView

    @classmethod
    def of(cls, membership: Membership, user: User) -> MembershipView:
        return cls(
            membership_id=membership.id,
            user_id=membership.user_id,
            company_id=membership.company_id,
            email=user.email,
            name=user.name,
            role=membership.role,
            status=membership.status,
            modules=tuple(sorted(membership.module_grants)),
            permissions=tuple(sorted(membership.permission_grants)),
            delegation=DelegationView.of(membership.delegation),
        )


@dataclass(frozen=True, slots=True)
class MembershipCreated:
    membership: MembershipView
    user_created: bool


@dataclass(frozen=True, slots=True)
class OwnerMembership:
    user_id: UUID
    membership_id: UUID
    created: bool


@dataclass(frozen=True, slots=True)
class BootstrapResult:
    user_id: UUID
    created: bool
