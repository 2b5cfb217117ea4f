"""Small builders for auth domain objects (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from uuid import UUID, uuid4

from kisum.domain.auth.access import Entitlements, PermissionCatalog
from kisum.domain.auth.identity import DelegationPolicy, Membership, MembershipStatus, Role, User, UserStatus

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
COMPANY = UUID(int=1000)
OTHER_COMPANY = UUID(int=2000)

CATALOG_KEYS = frozenset(
    {
        "basic.dashboard.view",
        "basic.artist.view",
        "basic.artist.create",
        "basic.artist.edit",
        "basic.artist.delete",
        "basic.event.view",
        "basic.event.create",
        "finance.budget.view",
        "finance.budget.edit",
        "market.deal.view",
        "market.deal.edit",
        "touring.tour.view",
    }
)
CATALOG = PermissionCatalog(version=7, keys=CATALOG_KEYS)


def user(*, status: UserStatus = UserStatus.ACTIVE, email: str | None = None, token_version: int = 1) -> User:
    u = User.register(
        user_id=uuid4(),
        email=email or f"{uuid4().hex[:8]}@example.com",
        name="Someone",
        password_hash="hash",
        now=NOW,
    )
    u.status = status
    u.token_version = token_version
    return u


def membership(
    owner: User,
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
    m = Membership.create(membership_id=uuid4(), user_id=owner.id, company_id=company, role=role, now=NOW)
    m.status = status
    m.module_grants = frozenset(modules)
    m.permission_grants = frozenset(permissions)
    m.delegation = DelegationPolicy.of(
        can_manage_members=can_manage_members, modules=delegate_modules, permissions=delegate_permissions
    )
    return m


def entitlements(
    *modules: str, company: UUID = COMPANY, version: int = 3, valid_until: datetime | None = None
) -> Entitlements:
    return Entitlements(
        company_id=company, entitlement_version=version, enabled_modules=frozenset(modules), valid_until=valid_until
    )
