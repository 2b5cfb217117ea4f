"""Ports of the auth context: the contract the adapters (SQL, Redis, argon2, JWT, core client) fulfil.

Conventions every adapter keeps:

- Repositories return domain objects (never rows) that are *detached copies*: changing one
  changes nothing until it is passed to ``add``/``save`` and the Unit of Work commits.
- ``for_update=True`` locks what is read until the transaction ends (``SELECT … FOR UPDATE``);
  command handlers use it for every read-modify-write.
- Unique violations (users.email, memberships(user_id, company_id), permissions.key,
  session token hashes) are translated by SQLSTATE 23505 into ``EmailTaken``,
  ``AlreadyMember``, ``PermissionExists`` (``kisum.domain.auth.errors``), at ``add`` or at
  ``commit``, whichever sees it.
- Caches never raise: a cache that is down behaves as a miss (get → None, put/invalidate → no-op).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import NamedTuple, Protocol, Self
from uuid import UUID

from kisum.application.ports import UnitOfWork
from kisum.domain.auth.access import AccessModel, Entitlements, Permission
from kisum.domain.auth.audit import AuditEntry
from kisum.domain.auth.identity import Membership, User, UserStatus
from kisum.domain.auth.sessions import Session, session_is_live

# ---------------------------------------------------------------------------------------------
# Persistence
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BearerState:
    """A session and its user, as the per-request bearer check needs them (read in one go)."""

    session_id: UUID
    user_id: UUID
    expires_at: datetime
    revoked_at: datetime | None
    user_status: UserStatus
    token_version: int
    is_platform_admin: bool

    def accepts(self, *, user_id: UUID, token_version: int, now: datetime) -> bool:
        """The session is the user's and live, the user active, and the token version current."""
        return (
            self.user_id == user_id
            and session_is_live(revoked_at=self.revoked_at, expires_at=self.expires_at, now=now)
            and self.user_status is UserStatus.ACTIVE
            and self.token_version == token_version
        )


@dataclass(frozen=True, slots=True)
class MembershipStamp:
    membership_id: UUID
    access_version: int


@dataclass(frozen=True, slots=True)
class AccessStamp:
    """What ``/auth/me/access`` needs on a cache hit, read in one statement: the caller's session
    (the bearer check) and the version numbers behind ``accessVersion`` of their membership in
    the company (``None`` if they are not a member there), without loading grants or the user."""

    bearer: BearerState
    membership: MembershipStamp | None
    catalog_version: int
    entitlement_version: int | None
    """The newest entitlement version auth has seen for the company; None before the first."""


class EntitlementVersionRepository(Protocol):
    async def advance(self, company_id: UUID, version: int) -> None:
        """Record ``version`` as the company's newest known entitlement version, unless a newer
        one is recorded: it never goes down, whatever order notifications and answers arrive in."""
        ...


class UserRepository(Protocol):
    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None: ...

    async def get_by_email(self, email: str, *, for_update: bool = False) -> User | None:
        """``email`` is already normalised (``normalize_email``); match it exactly."""
        ...

    async def list_by_ids(self, user_ids: Collection[UUID]) -> list[User]:
        """The users among ``user_ids`` that exist (any order)."""
        ...

    async def add(self, user: User) -> None: ...

    async def save(self, user: User) -> None:
        """Persist every field of an existing user (password hash, token version, status, …)."""
        ...


class MembershipRepository(Protocol):
    """Memberships with their module grants, permission grants and delegation policy.

    Reads that take a ``company_id`` are tenant-scoped: a membership of another company is
    simply not found.
    """

    async def get(self, company_id: UUID, membership_id: UUID, *, for_update: bool = False) -> Membership | None: ...

    async def get_by_user(self, company_id: UUID, user_id: UUID, *, for_update: bool = False) -> Membership | None: ...

    async def list_by_user(self, user_id: UUID) -> list[Membership]:
        """Every membership of one user, any status, ordered by ``created_at``."""
        ...

    async def access_stamp(self, session_id: UUID, company_id: UUID) -> AccessStamp | None:
        """The session with its user, the user's membership in that company, the permission
        catalog version and the company's known entitlement version, read together; ``None`` if
        there is no such session (or user)."""
        ...

    async def list_by_company(self, company_id: UUID, *, offset: int, limit: int) -> tuple[list[Membership], int]:
        """One page of a company's memberships ordered by ``created_at`` then id, and the total."""
        ...

    async def list_with_permission_key(self, key: str) -> list[Membership]:
        """Memberships (any company, locked for update) granting or delegating exactly ``key``."""
        ...

    async def add(self, membership: Membership) -> None: ...

    async def save(self, membership: Membership) -> None:
        """Persist role, status, access_version, and replace the grant sets and delegation policy."""
        ...


@dataclass(frozen=True, slots=True)
class RefreshTokenOwner:
    """The session a presented refresh-token hash belongs to, with its user (read in one go)."""

    session: Session
    user: User


class SessionRepository(Protocol):
    async def get(self, session_id: UUID, *, for_update: bool = False) -> Session | None: ...

    async def bearer_state(self, session_id: UUID) -> BearerState | None:
        """The session's liveness fields with its user's status and versions, read together;
        ``None`` if the session (or its user) does not exist."""
        ...

    async def find_by_refresh_token_hash(
        self, token_hash: str, *, for_update: bool = False
    ) -> RefreshTokenOwner | None:
        """The session whose current OR any previous refresh-token hash equals ``token_hash``,
        with its user; ``for_update`` locks the session (not the user).

        Previous hashes must stay findable for the session's whole life: that is how reuse of
        a rotated token is detected. The session's ``previous_token_hashes`` is what reuse
        detection asks about, not the whole history: ``{token_hash}`` if it is a previous hash,
        else empty (one indexed lookup, however old the session).
        """
        ...

    async def list_live_by_user(self, user_id: UUID, now: datetime) -> list[Session]:
        """Sessions of a user that are neither revoked nor past ``expires_at``, newest first."""
        ...

    async def add(self, session: Session) -> None: ...

    async def save(self, session: Session) -> None:
        """Persist the current hash, last_used_at and the revocation, and store every hash of
        ``previous_token_hashes`` not stored yet (previous hashes are only ever added)."""
        ...


class PermissionCatalogRepository(Protocol):
    async def get(self, key: str) -> Permission | None: ...

    async def list_all(self) -> list[Permission]:
        """Every catalog permission, sorted by key."""
        ...

    async def keys(self) -> frozenset[str]: ...

    async def version(self) -> int:
        """A number that grows with every ``add``/``remove`` (committed with it); part of accessVersion."""
        ...

    async def add(self, permission: Permission) -> None:
        """Insert and bump ``version`` in the same transaction."""
        ...

    async def remove(self, key: str) -> None:
        """Delete and bump ``version`` in the same transaction."""
        ...


class AuditLog(Protocol):
    async def record(self, entry: AuditEntry) -> None:
        """Write in the Unit of Work's transaction: the entry exists if and only if the change does."""
        ...


class AuthUnitOfWork(UnitOfWork, Protocol):
    """One transaction over the auth tables. Handlers commit once on success, never otherwise.

    ``async with uow:`` leaves without commit → rollback (the SqlUnitOfWork behaviour).
    """

    def reading(self) -> Self:
        """Mark the next ``async with`` block as reads only: no transaction, ``commit`` refused."""
        ...

    # Read-only properties, so an implementation may expose them as plain attributes.
    @property
    def users(self) -> UserRepository: ...

    @property
    def memberships(self) -> MembershipRepository: ...

    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def permissions(self) -> PermissionCatalogRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def entitlement_versions(self) -> EntitlementVersionRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


AuthUnitOfWorkFactory = Callable[[], AuthUnitOfWork]
"""A fresh Unit of Work, for work that is not one request's own (shared builds, bearer checks)."""


# ---------------------------------------------------------------------------------------------
# Security primitives
# ---------------------------------------------------------------------------------------------


class PasswordHasher(Protocol):
    """argon2id in production; the number of concurrent hashes is bounded by the adapter."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool:
        """False for a wrong password or an unreadable hash; never raises for those."""
        ...

    def needs_rehash(self, password_hash: str) -> bool: ...

    async def verify_dummy(self, password: str) -> None:
        """Spend the same time as ``verify`` against a fixed dummy hash (unknown users)."""
        ...


@dataclass(frozen=True, slots=True)
class IssuedAccessToken:
    token: str
    expires_in: int  # seconds


class AccessTokenIssuer(Protocol):
    def issue(self, *, user_id: UUID, session_id: UUID, token_version: int, now: datetime) -> IssuedAccessToken:
        """A signed JWT (``sub``, ``sid``, ``tv``, ``iat``, ``exp``, ``jti``, ``iss``, ``aud``, typ at+jwt)."""
        ...


class NewRefreshToken(NamedTuple):
    token: str
    token_hash: str


class RefreshTokenFactory(Protocol):
    def new(self) -> NewRefreshToken:
        """An opaque token with at least 256 bits of randomness, and its hash."""
        ...

    def hash(self, token: str) -> str:
        """Deterministic (e.g. SHA-256 hex, optionally keyed); the only form that is stored."""
        ...


class LoginThrottle(Protocol):
    """Atomic counters (Redis) computed with ``kisum.domain.auth.throttling``.

    ``account`` is ``throttle_account_key(email)``; ``ip`` is the client address as resolved by
    the trusted-proxy rules.
    """

    async def check(self, account: str, ip: str) -> None:
        """Raise ``RateLimited`` (code ``RATE_LIMITED``, ``retry_after_seconds``) when throttled."""
        ...

    async def record_failure(self, account: str, ip: str) -> None: ...

    async def record_success(self, account: str, ip: str) -> None:
        """Reset the (account, ip) pair; the ip and account windows keep their counts."""
        ...


# ---------------------------------------------------------------------------------------------
# Entitlements (from core) and caches
# ---------------------------------------------------------------------------------------------


class EntitlementsGateway(Protocol):
    async def get(self, company_id: UUID) -> Entitlements:
        """Ask core. Down, slow past its timeout, 5xx or malformed → raise
        ``EntitlementsUnavailable`` (503 ``ENTITLEMENTS_UNAVAILABLE``). An unknown company
        answers entitlements with no enabled modules."""
        ...


class EntitlementsCache(Protocol):
    async def get(self, company_id: UUID) -> Entitlements | None: ...

    async def put(self, entitlements: Entitlements, ttl_seconds: int) -> None:
        """Store for ``ttl_seconds`` (> 0; the application computes it and never exceeds validUntil).

        Must not store a version older than the floor left by ``invalidate`` (see there).
        """
        ...

    async def invalidate(self, company_id: UUID, *, min_version: int) -> None:
        """Drop the company's entry and remember ``min_version`` for the entitlements TTL, so that
        a fetch that raced with the change cannot put the older version back."""
        ...


class AccessCache(Protocol):
    """Key ``access:{company}:{membership}:{accessVersion}`` in the adapter."""

    async def get(self, company_id: UUID, membership_id: UUID, access_version: str) -> AccessModel | None: ...

    async def put(self, access: AccessModel, ttl_seconds: int) -> None: ...

    async def invalidate_membership(self, company_id: UUID, membership_id: UUID) -> None: ...

    async def invalidate_company(self, company_id: UUID) -> None: ...


__all__ = [
    "AccessCache",
    "AccessStamp",
    "AccessTokenIssuer",
    "AuditLog",
    "AuthUnitOfWork",
    "AuthUnitOfWorkFactory",
    "BearerState",
    "EntitlementVersionRepository",
    "EntitlementsCache",
    "EntitlementsGateway",
    "IssuedAccessToken",
    "LoginThrottle",
    "MembershipRepository",
    "MembershipStamp",
    "NewRefreshToken",
    "PasswordHasher",
    "PermissionCatalogRepository",
    "RefreshTokenFactory",
    "RefreshTokenOwner",
    "SessionRepository",
    "UserRepository",
]
