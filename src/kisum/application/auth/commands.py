"""Commands of the auth context: frozen, named in the imperative, one handler each.

Tenant-management commands carry a ``TenantActor``: the authenticated user and the company
named by ``x-org``. The handler looks the actor's membership up itself; a membership id sent
by the client is never trusted as the actor's.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from kisum.domain.auth.identity import MembershipStatus, Role


@dataclass(frozen=True, slots=True)
class TenantActor:
    user_id: UUID
    company_id: UUID


@dataclass(frozen=True, slots=True)
class UserCaller:
    """A user (checked to be an active platform admin by the handler)."""

    user_id: UUID


@dataclass(frozen=True, slots=True)
class ServiceCaller:
    """Another role, authenticated by a service token; only the HTTP adapter may build this,
    after verifying that token and the endpoint's allow-list."""

    role: str


CatalogCaller = UserCaller | ServiceCaller


# -- sessions ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Login:
    email: str
    password: str
    user_agent: str | None
    ip: str


@dataclass(frozen=True, slots=True)
class Refresh:
    refresh_token: str


@dataclass(frozen=True, slots=True)
class Logout:
    user_id: UUID
    session_id: UUID


@dataclass(frozen=True, slots=True)
class LogoutAll:
    user_id: UUID


@dataclass(frozen=True, slots=True)
class RevokeOwnSession:
    user_id: UUID
    session_id: UUID


# -- tenant management ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CreateMembership:
    actor: TenantActor
    email: str
    name: str
    role: Role
    password: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateMembership:
    actor: TenantActor
    membership_id: UUID
    role: Role | None = None
    status: MembershipStatus | None = None


@dataclass(frozen=True, slots=True)
class GrantModules:
    actor: TenantActor
    membership_id: UUID
    modules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RevokeModule:
    actor: TenantActor
    membership_id: UUID
    module: str


@dataclass(frozen=True, slots=True)
class GrantPermissions:
    actor: TenantActor
    membership_id: UUID
    permissions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RevokePermission:
    actor: TenantActor
    membership_id: UUID
    permission: str


@dataclass(frozen=True, slots=True)
class SetDelegationPolicy:
    actor: TenantActor
    membership_id: UUID
    can_manage_members: bool
    modules: tuple[str, ...]
    permissions: tuple[str, ...]


# -- platform / internal ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CreateOwnerMembership:
    """Internal (admin approves a company). Idempotent on (company, email)."""

    company_id: UUID
    email: str
    name: str
    password: str | None
    caller: ServiceCaller


@dataclass(frozen=True, slots=True)
class CreatePermission:
    caller: CatalogCaller
    key: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class DeletePermission:
    caller: CatalogCaller
    key: str


@dataclass(frozen=True, slots=True)
class BootstrapPlatformAdmin:
    email: str
    password: str
    name: str = "Platform admin"


@dataclass(frozen=True, slots=True)
class HandleEntitlementsChanged:
    company_id: UUID
    entitlement_version: int
