from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

import pytest

from kisum.application.auth.commands import TenantActor
from kisum.application.auth.services import EntitlementsReader
from kisum.application.auth.settings import AuthSettings
from kisum.domain.auth.access import Entitlements, Permission
from kisum.domain.auth.identity import DelegationPolicy, Membership, MembershipStatus, Role, User
from kisum.domain.auth.sessions import Session
from tests.application.auth.fakes import (
    FakeAccessCache,
    FakeAccessTokenIssuer,
    FakeAuthUnitOfWork,
    FakeClock,
    FakeEntitlementsCache,
    FakeEntitlementsGateway,
    FakePasswordHasher,
    FakeRefreshTokenFactory,
    InMemoryLoginThrottle,
    SequentialIds,
)

COMPANY = UUID(int=10_000)
OTHER_COMPANY = UUID(int=20_000)
PASSWORD = "correct horse battery staple"
CATALOG = (
    "basic.dashboard.view",
    "basic.artist.view",
    "basic.artist.create",
    "basic.artist.edit",
    "basic.event.view",
    "finance.budget.view",
    "finance.budget.edit",
    "market.deal.view",
)


@dataclass
class World:
    """Every fake port, plus helpers that seed committed state directly."""

    clock: FakeClock = field(default_factory=FakeClock)
    ids: SequentialIds = field(default_factory=lambda: SequentialIds(start=1_000_000))
    uow: FakeAuthUnitOfWork = field(default_factory=FakeAuthUnitOfWork)
    hasher: FakePasswordHasher = field(default_factory=FakePasswordHasher)
    access_tokens: FakeAccessTokenIssuer = field(default_factory=FakeAccessTokenIssuer)
    refresh_tokens: FakeRefreshTokenFactory = field(default_factory=FakeRefreshTokenFactory)
    gateway: FakeEntitlementsGateway = field(default_factory=FakeEntitlementsGateway)
    settings: AuthSettings = field(default_factory=AuthSettings)
    _seq: int = 1

    def __post_init__(self) -> None:
        self.throttle = InMemoryLoginThrottle(self.clock)
        self.entitlements_cache = FakeEntitlementsCache(self.clock)
        self.access_cache = FakeAccessCache(self.clock)
        self.reader = EntitlementsReader(self.gateway, self.entitlements_cache, self.clock, self.settings)

    def _id(self) -> UUID:
        self._seq += 1
        return UUID(int=self._seq)

    def user(
        self,
        email: str,
        *,
        password: str | None = PASSWORD,
        platform_admin: bool = False,
        hash_version: int | None = None,
    ) -> User:
        version = hash_version or self.hasher.version
        u = User.register(
            user_id=self._id(),
            email=email,
            name=email.split("@")[0].title(),
            password_hash=f"v{version}${password}" if password is not None else None,
            now=self.clock.now(),
            is_platform_admin=platform_admin,
        )
        self.uow.state.users[u.id] = u
        return u

    def member(
        self,
        u: User,
        *,
        company: UUID = COMPANY,
        role: Role = Role.MEMBER,
        status: MembershipStatus = MembershipStatus.ACTIVE,
        modules: Iterable[str] = (),
        permissions: Iterable[str] = (),
        can_manage_members: bool = False,
        delegate_modules: Iterable[str] = (),
        delegate_permissions: Iterable[str] = (),
    ) -> Membership:
        m = Membership.create(
            membership_id=self._id(), user_id=u.id, company_id=company, role=role, now=self.clock.now()
        )
        m.status = status
        m.module_grants = frozenset(modules)
        m.permission_grants = frozenset(permissions)
        m.delegation = DelegationPolicy.of(
            can_manage_members=can_manage_members, modules=delegate_modules, permissions=delegate_permissions
        )
        self.uow.state.memberships[m.id] = m
        return m

    def entitle(
        self, *modules: str, company: UUID = COMPANY, version: int = 1, valid_until: datetime | None = None
    ) -> Entitlements:
        ents = Entitlements(
            company_id=company, entitlement_version=version, enabled_modules=frozenset(modules), valid_until=valid_until
        )
        self.gateway.set(ents)
        return ents

    def catalog(self, *keys: str) -> None:
        for key in keys:
            self.uow.state.permissions[key] = Permission(key=key, description=key)

    def session(self, u: User) -> Session:
        """A live session of ``u`` (what a verified access token points at)."""
        started = Session.start(
            session_id=self._id(),
            user_id=u.id,
            refresh_token_hash=f"refresh-{self._seq}",
            now=self.clock.now(),
            policy=self.settings.session_policy,
            user_agent=None,
            ip=None,
        )
        self.uow.state.sessions[started.id] = started
        return started

    def stored_membership(self, membership_id: UUID) -> Membership:
        return self.uow.state.memberships[membership_id]

    def stored_user(self, user_id: UUID) -> User:
        return self.uow.state.users[user_id]


def actor(u: User, company: UUID = COMPANY) -> TenantActor:
    return TenantActor(user_id=u.id, company_id=company)


@pytest.fixture
def world() -> World:
    w = World()
    w.catalog(*CATALOG)
    w.entitle("basic", "finance")
    return w
