"""In-memory fakes of every auth port, faithful enough to be reused by adapter tests.

The Unit of Work is transactional: ``async with uow`` takes a private working copy of the
committed state, repositories read and write that copy (returning detached copies, like the
SQL adapters), ``commit`` publishes it and counts, leaving without commit discards it. So a
test can assert that a refused request wrote nothing: ``uow.commits == 0`` and the committed
state unchanged.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import hashlib
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self
from uuid import UUID

from kisum.application.auth.ports import (
    AccessStamp,
    BearerState,
    IssuedAccessToken,
    MembershipStamp,
    NewRefreshToken,
    RefreshTokenOwner,
)
from kisum.domain.auth.access import AccessModel, Entitlements, Permission
from kisum.domain.auth.audit import AuditEntry
from kisum.domain.auth.errors import AlreadyMember, EmailTaken, EntitlementsUnavailable, PermissionExists
from kisum.domain.auth.identity import Membership, User
from kisum.domain.auth.sessions import Session
from kisum.domain.auth.throttling import (
    PairCounter,
    ThrottleCounters,
    ThrottleSettings,
    WindowCounter,
    decide,
)
from kisum.domain.errors import RateLimited

# -- time and ids -----------------------------------------------------------------------------


class FakeClock:
    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2025, 1, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class SequentialIds:
    def __init__(self, start: int = 1) -> None:
        self.next = start

    def new_id(self) -> UUID:
        value = UUID(int=self.next)
        self.next += 1
        return value


# -- persistence ------------------------------------------------------------------------------


@dataclass
class AuthState:
    users: dict[UUID, User] = field(default_factory=dict)
    memberships: dict[UUID, Membership] = field(default_factory=dict)
    sessions: dict[UUID, Session] = field(default_factory=dict)
    permissions: dict[str, Permission] = field(default_factory=dict)
    catalog_version: int = 1
    audit: list[AuditEntry] = field(default_factory=list)
    entitlement_versions: dict[UUID, int] = field(default_factory=dict)


class _Repo:
    def __init__(self, uow: FakeAuthUnitOfWork) -> None:
        self._uow = uow

    @property
    def _state(self) -> AuthState:
        return self._uow.work

    def _lock(self, kind: str, key: object, for_update: bool) -> None:
        if for_update:
            self._uow.locks.append((kind, key))


class FakeUserRepository(_Repo):
    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        self._lock("user", user_id, for_update)
        return copy.deepcopy(self._state.users.get(user_id))

    async def get_by_email(self, email: str, *, for_update: bool = False) -> User | None:
        for user in self._state.users.values():
            if user.email == email:
                self._lock("user", user.id, for_update)
                return copy.deepcopy(user)
        return None

    async def list_by_ids(self, user_ids: Collection[UUID]) -> list[User]:
        return [copy.deepcopy(u) for i, u in self._state.users.items() if i in user_ids]

    async def add(self, user: User) -> None:
        if user.id in self._state.users:
            raise AssertionError(f"user {user.id} added twice")
        if any(u.email == user.email for u in self._state.users.values()):
            raise EmailTaken("email taken")
        self._state.users[user.id] = copy.deepcopy(user)

    async def save(self, user: User) -> None:
        if user.id not in self._state.users:
            raise AssertionError(f"user {user.id} saved before being added")
        self._state.users[user.id] = copy.deepcopy(user)


def _bearer_state(state: AuthState, session_id: UUID) -> BearerState | None:
    session = state.sessions.get(session_id)
    user = None if session is None else state.users.get(session.user_id)
    if session is None or user is None:
        return None
    return BearerState(
        session_id=session.id,
        user_id=session.user_id,
        expires_at=session.expires_at,
        revoked_at=session.revoked_at,
        user_status=user.status,
        token_version=user.token_version,
        is_platform_admin=user.is_platform_admin,
    )


class FakeMembershipRepository(_Repo):
    async def get(self, company_id: UUID, membership_id: UUID, *, for_update: bool = False) -> Membership | None:
        membership = self._state.memberships.get(membership_id)
        if membership is None or membership.company_id != company_id:
            return None
        self._lock("membership", membership_id, for_update)
        return copy.deepcopy(membership)

    async def get_by_user(self, company_id: UUID, user_id: UUID, *, for_update: bool = False) -> Membership | None:
        for membership in self._state.memberships.values():
            if membership.company_id == company_id and membership.user_id == user_id:
                self._lock("membership", membership.id, for_update)
                return copy.deepcopy(membership)
        return None

    async def access_stamp(self, session_id: UUID, company_id: UUID) -> AccessStamp | None:
        bearer = _bearer_state(self._state, session_id)
        if bearer is None:
            return None
        membership = next(
            (
                MembershipStamp(membership_id=m.id, access_version=m.access_version)
                for m in self._state.memberships.values()
                if m.company_id == company_id and m.user_id == bearer.user_id
            ),
            None,
        )
        return AccessStamp(
            bearer=bearer,
            membership=membership,
            catalog_version=self._state.catalog_version,
            entitlement_version=self._state.entitlement_versions.get(company_id),
        )

    async def list_by_user(self, user_id: UUID) -> list[Membership]:
        found = [m for m in self._state.memberships.values() if m.user_id == user_id]
        return [copy.deepcopy(m) for m in sorted(found, key=lambda m: (m.created_at, m.id))]

    async def list_by_company(self, company_id: UUID, *, offset: int, limit: int) -> tuple[list[Membership], int]:
        found = sorted(
            (m for m in self._state.memberships.values() if m.company_id == company_id),
            key=lambda m: (m.created_at, m.id),
        )
        return [copy.deepcopy(m) for m in found[offset : offset + limit]], len(found)

    async def list_with_permission_key(self, key: str) -> list[Membership]:
        found = [
            m for m in self._state.memberships.values() if key in m.permission_grants or key in m.delegation.permissions
        ]
        for m in found:
            self._lock("membership", m.id, True)
        return [copy.deepcopy(m) for m in found]

    async def add(self, membership: Membership) -> None:
        if membership.id in self._state.memberships:
            raise AssertionError(f"membership {membership.id} added twice")
        if any(
            m.company_id == membership.company_id and m.user_id == membership.user_id
            for m in self._state.memberships.values()
        ):
            raise AlreadyMember()
        self._state.memberships[membership.id] = copy.deepcopy(membership)

    async def save(self, membership: Membership) -> None:
        if membership.id not in self._state.memberships:
            raise AssertionError(f"membership {membership.id} saved before being added")
        self._state.memberships[membership.id] = copy.deepcopy(membership)


class FakeSessionRepository(_Repo):
    async def get(self, session_id: UUID, *, for_update: bool = False) -> Session | None:
        self._lock("session", session_id, for_update)
        return copy.deepcopy(self._state.sessions.get(session_id))

    async def bearer_state(self, session_id: UUID) -> BearerState | None:
        return _bearer_state(self._state, session_id)

    async def find_by_refresh_token_hash(
        self, token_hash: str, *, for_update: bool = False
    ) -> RefreshTokenOwner | None:
        for session in self._state.sessions.values():
            if session.refresh_token_hash == token_hash or token_hash in session.previous_token_hashes:
                user = self._state.users.get(session.user_id)
                if user is None:
                    return None
                self._lock("session", session.id, for_update)
                # Like the SQL repository: the previous hashes a lookup needs, not the history.
                known = frozenset({token_hash}) & session.previous_token_hashes
                found = dataclasses.replace(copy.deepcopy(session), previous_token_hashes=known)
                return RefreshTokenOwner(session=found, user=copy.deepcopy(user))
        return None

    async def list_live_by_user(self, user_id: UUID, now: datetime) -> list[Session]:
        live = [s for s in self._state.sessions.values() if s.user_id == user_id and s.is_live(now)]
        return [copy.deepcopy(s) for s in sorted(live, key=lambda s: s.created_at, reverse=True)]

    async def add(self, session: Session) -> None:
        if session.id in self._state.sessions:
            raise AssertionError(f"session {session.id} added twice")
        self._state.sessions[session.id] = copy.deepcopy(session)

    async def save(self, session: Session) -> None:
        stored = self._state.sessions.get(session.id)
        if stored is None:
            raise AssertionError(f"session {session.id} saved before being added")
        previous = stored.previous_token_hashes | session.previous_token_hashes  # only ever added
        self._state.sessions[session.id] = dataclasses.replace(copy.deepcopy(session), previous_token_hashes=previous)


class FakePermissionCatalogRepository(_Repo):
    async def get(self, key: str) -> Permission | None:
        return self._state.permissions.get(key)

    async def list_all(self) -> list[Permission]:
        return [self._state.permissions[k] for k in sorted(self._state.permissions)]

    async def keys(self) -> frozenset[str]:
        return frozenset(self._state.permissions)

    async def version(self) -> int:
        return self._state.catalog_version

    async def add(self, permission: Permission) -> None:
        if permission.key in self._state.permissions:
            raise PermissionExists("exists")
        self._state.permissions[permission.key] = permission
        self._state.catalog_version += 1

    async def remove(self, key: str) -> None:
        del self._state.permissions[key]
        self._state.catalog_version += 1


class FakeEntitlementVersionRepository(_Repo):
    async def advance(self, company_id: UUID, version: int) -> None:
        known = self._state.entitlement_versions.get(company_id)
        if known is None or version > known:
            self._state.entitlement_versions[company_id] = version


class FakeAuditLog(_Repo):
    async def record(self, entry: AuditEntry) -> None:
        self._state.audit.append(entry)


class FakeAuthUnitOfWork:
    def __init__(self, state: AuthState | None = None) -> None:
        self.state = state or AuthState()
        self._work: AuthState | None = None
        self.commits = 0
        self.rollbacks = 0
        self.read_only_blocks = 0
        self._reading = False
        self.locks: list[tuple[str, object]] = []
        self.users = FakeUserRepository(self)
        self.memberships = FakeMembershipRepository(self)
        self.sessions = FakeSessionRepository(self)
        self.permissions = FakePermissionCatalogRepository(self)
        self.audit = FakeAuditLog(self)
        self.entitlement_versions = FakeEntitlementVersionRepository(self)

    @property
    def work(self) -> AuthState:
        if self._work is None:
            raise AssertionError("repositories used outside `async with uow`")
        return self._work

    def reading(self) -> Self:
        self._reading = True
        return self

    async def __aenter__(self) -> Self:
        if self._work is not None:
            raise AssertionError("nested unit of work")
        self._work = copy.deepcopy(self.state)
        if self._reading:
            self.read_only_blocks += 1
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._reading = False
        await self.rollback()

    async def commit(self) -> None:
        if self._reading:
            raise AssertionError("commit() in a read-only unit of work")
        self.state = copy.deepcopy(self.work)
        self.commits += 1

    async def rollback(self) -> None:
        if self._work is not None:
            self.rollbacks += 1
        self._work = None


# -- security primitives ----------------------------------------------------------------------


class FakePasswordHasher:
    """``v{n}$<password>`` hashes; hashes of an older ``version`` need a rehash."""

    def __init__(self, version: int = 2) -> None:
        self.version = version
        self.hashed: list[str] = []
        self.verified: list[str] = []
        self.dummy_verified: list[str] = []

    async def hash(self, password: str) -> str:
        self.hashed.append(password)
        return f"v{self.version}${password}"

    async def verify(self, password_hash: str, password: str) -> bool:
        self.verified.append(password)
        _, sep, stored = password_hash.partition("$")
        return bool(sep) and stored == password

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith(f"v{self.version}$")

    async def verify_dummy(self, password: str) -> None:
        self.dummy_verified.append(password)


class FakeAccessTokenIssuer:
    def __init__(self, expires_in: int = 900) -> None:
        self.expires_in = expires_in
        self.issued: list[tuple[UUID, UUID, int, datetime]] = []

    def issue(self, *, user_id: UUID, session_id: UUID, token_version: int, now: datetime) -> IssuedAccessToken:
        self.issued.append((user_id, session_id, token_version, now))
        return IssuedAccessToken(token=f"at:{user_id}:{session_id}:{token_version}", expires_in=self.expires_in)


class FakeRefreshTokenFactory:
    def __init__(self) -> None:
        self.count = 0

    def new(self) -> NewRefreshToken:
        self.count += 1
        token = f"rt-{self.count:064d}"
        return NewRefreshToken(token=token, token_hash=self.hash(token))

    def hash(self, token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class InMemoryLoginThrottle:
    """The DESIGN §3 throttle on in-process counters, computed by the domain's ``decide``."""

    def __init__(self, clock: FakeClock, settings: ThrottleSettings | None = None) -> None:
        self.clock = clock
        self.settings = settings or ThrottleSettings()
        self.pairs: dict[tuple[str, str], tuple[int, datetime]] = {}
        self.ip_windows: dict[str, tuple[int, datetime]] = {}
        self.account_windows: dict[str, tuple[int, datetime]] = {}
        self.checks = 0
        self.failures = 0
        self.successes = 0

    def _window(self, windows: dict[str, tuple[int, datetime]], key: str, length: int) -> WindowCounter:
        count, start = windows.get(key, (0, self.clock.now()))
        remaining = length - (self.clock.now() - start).total_seconds()
        if remaining <= 0:
            windows.pop(key, None)
            return WindowCounter()
        return WindowCounter(failures=count, seconds_until_reset=remaining)

    def counters(self, account: str, ip: str) -> ThrottleCounters:
        pair = self.pairs.get((account, ip))
        pair_counter = (
            PairCounter(pair[0], (self.clock.now() - pair[1]).total_seconds()) if pair is not None else PairCounter()
        )
        return ThrottleCounters(
            pair=pair_counter,
            ip=self._window(self.ip_windows, ip, self.settings.ip_window_seconds),
            account=self._window(self.account_windows, account, self.settings.account_window_seconds),
        )

    async def check(self, account: str, ip: str) -> None:
        self.checks += 1
        decision = decide(self.settings, self.counters(account, ip))
        if not decision.allowed:
            raise RateLimited("Too many failed logins.", retry_after_seconds=decision.retry_after_seconds)

    async def record_failure(self, account: str, ip: str) -> None:
        self.failures += 1
        now = self.clock.now()
        count = self.pairs.get((account, ip), (0, now))[0]
        self.pairs[(account, ip)] = (count + 1, now)
        for windows, key, length in (
            (self.ip_windows, ip, self.settings.ip_window_seconds),
            (self.account_windows, account, self.settings.account_window_seconds),
        ):
            current = self._window(windows, key, length)
            start = windows[key][1] if key in windows else now
            windows[key] = (current.failures + 1, start)

    async def record_success(self, account: str, ip: str) -> None:
        self.successes += 1
        self.pairs.pop((account, ip), None)


# -- entitlements and caches ------------------------------------------------------------------


class FakeEntitlementsGateway:
    def __init__(self) -> None:
        self.entitlements: dict[UUID, Entitlements] = {}
        self.down = False
        self.calls = 0
        self.answering: asyncio.Event | None = None  # when set: each call waits for the event

    def set(self, entitlements: Entitlements) -> None:
        self.entitlements[entitlements.company_id] = entitlements

    async def get(self, company_id: UUID) -> Entitlements:
        self.calls += 1
        if self.answering is not None:
            await self.answering.wait()
        if self.down:
            raise EntitlementsUnavailable()
        return self.entitlements.get(
            company_id,
            Entitlements(company_id=company_id, entitlement_version=0, enabled_modules=frozenset(), valid_until=None),
        )


class FakeEntitlementsCache:
    """Entries expire by the fake clock; ``invalidate`` leaves a version floor."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.entries: dict[UUID, tuple[Entitlements, datetime]] = {}
        self.floors: dict[UUID, int] = {}
        self.puts: list[tuple[Entitlements, int]] = []
        self.gets = 0

    async def get(self, company_id: UUID) -> Entitlements | None:
        self.gets += 1
        entry = self.entries.get(company_id)
        if entry is None or self.clock.now() >= entry[1]:
            return None
        return entry[0]

    async def put(self, entitlements: Entitlements, ttl_seconds: int) -> None:
        assert ttl_seconds > 0
        self.puts.append((entitlements, ttl_seconds))
        if entitlements.entitlement_version < self.floors.get(entitlements.company_id, -math.inf):
            return
        self.entries[entitlements.company_id] = (entitlements, self.clock.now() + timedelta(seconds=ttl_seconds))

    async def invalidate(self, company_id: UUID, *, min_version: int) -> None:
        self.entries.pop(company_id, None)
        self.floors[company_id] = max(min_version, self.floors.get(company_id, min_version))


class FakeAccessCache:
    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.entries: dict[tuple[UUID, UUID, str], tuple[AccessModel, datetime]] = {}
        self.puts: list[tuple[AccessModel, int]] = []
        self.invalidated_memberships: list[tuple[UUID, UUID]] = []
        self.invalidated_companies: list[UUID] = []

    async def get(self, company_id: UUID, membership_id: UUID, access_version: str) -> AccessModel | None:
        entry = self.entries.get((company_id, membership_id, access_version))
        if entry is None or self.clock.now() >= entry[1]:
            return None
        return entry[0]

    async def put(self, access: AccessModel, ttl_seconds: int) -> None:
        assert ttl_seconds > 0
        self.puts.append((access, ttl_seconds))
        key = (access.company_id, access.membership_id, access.access_version)
        self.entries[key] = (access, self.clock.now() + timedelta(seconds=ttl_seconds))

    async def invalidate_membership(self, company_id: UUID, membership_id: UUID) -> None:
        self.invalidated_memberships.append((company_id, membership_id))
        for key in [k for k in self.entries if k[0] == company_id and k[1] == membership_id]:
            del self.entries[key]

    async def invalidate_company(self, company_id: UUID) -> None:
        self.invalidated_companies.append(company_id)
        for key in [k for k in self.entries if k[0] == company_id]:
            del self.entries[key]


def _static_conformance() -> None:
    """Never called: lets mypy (run on this file) prove every fake satisfies its port."""
    from kisum.application.auth import ports
    from kisum.application.ports import Clock, IdGenerator

    clock = FakeClock()
    _uow: ports.AuthUnitOfWork = FakeAuthUnitOfWork()
    _hasher: ports.PasswordHasher = FakePasswordHasher()
    _issuer: ports.AccessTokenIssuer = FakeAccessTokenIssuer()
    _refresh: ports.RefreshTokenFactory = FakeRefreshTokenFactory()
    _throttle: ports.LoginThrottle = InMemoryLoginThrottle(clock)
    _gateway: ports.EntitlementsGateway = FakeEntitlementsGateway()
    _ecache: ports.EntitlementsCache = FakeEntitlementsCache(clock)
    _acache: ports.AccessCache = FakeAccessCache(clock)
    _clock: Clock = clock
    _ids: IdGenerator = SequentialIds()
