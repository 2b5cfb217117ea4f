"""Bodies (``…Body``) and responses (``…Out``) of auth's API, in camelCase.

What other roles read or send (the access model, the entitlement events, ``/internal/...``) are
wire contracts in ``kisum.adapters.contracts``, shared with their clients; here auth builds them
from its views.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from kisum.adapters.contracts.access import AccessOut, DelegationOut
from kisum.adapters.contracts.owners import OwnerOut
from kisum.adapters.contracts.permissions import PermissionOut, PermissionPageOut
from kisum.adapters.contracts.wire import Email, Name, Password
from kisum.adapters.http.common.schemas import Body, Out
from kisum.application.auth.views import (
    MembershipCreated,
    MembershipView,
    MeView,
    OwnerMembership,
    SessionView,
    TokenPair,
)
from kisum.domain.auth.access import AccessModel, Permission
from kisum.domain.paging import Page

Token = Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]
GrantText = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Grants = Annotated[list[GrantText], msgspec.Meta(min_length=1, max_length=200)]
OptionalGrants = Annotated[list[GrantText], msgspec.Meta(max_length=200)]
RoleValue = Literal["owner", "admin", "member"]
StatusValue = Literal["active", "suspended"]


# --- sessions --------------------------------------------------------------------------------


class LoginBody(Body):
    email: Email
    password: Password


class RefreshBody(Body):
    refresh_token: Token


class UserOut(Out):
    id: UUID
    email: str
    name: str
    is_platform_admin: bool


class TokenPairOut(Out):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    session_id: UUID
    user: UserOut

    @classmethod
    def of(cls, pair: TokenPair) -> TokenPairOut:
        return cls(
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            token_type=pair.token_type,
            expires_in=pair.expires_in,
            session_id=pair.session_id,
            user=UserOut(
                id=pair.user.id,
                email=pair.user.email,
                name=pair.user.name,
                is_platform_admin=pair.user.is_platform_admin,
            ),
        )


class SessionOut(Out):
    id: UUID
    user_agent: str | None
    ip: str | None
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    current: bool

    @classmethod
    def of(cls, view: SessionView) -> SessionOut:
        return cls(
            id=view.id,
            user_agent=view.user_agent,
            ip=view.ip,
            created_at=view.created_at,
            last_used_at=view.last_used_at,
            expires_at=view.expires_at,
            current=view.current,
        )


class SessionPageOut(Out):
    items: list[SessionOut]
    page: int
    limit: int
    total: int

    @classmethod
    def of(cls, page: Page[SessionView]) -> SessionPageOut:
        return cls(items=[SessionOut.of(v) for v in page.items], page=page.page, limit=page.limit, total=page.total)


# --- me --------------------------------------------------------------------------------------


class MembershipSummaryOut(Out):
    membership_id: UUID
    company_id: UUID
    role: str
    status: str


class MeOut(Out):
    id: UUID
    email: str
    name: str
    is_platform_admin: bool
    memberships: list[MembershipSummaryOut]

    @classmethod
    def of(cls, view: MeView) -> MeOut:
        return cls(
            id=view.id,
            email=view.email,
            name=view.name,
            is_platform_admin=view.is_platform_admin,
            memberships=[
                MembershipSummaryOut(
                    membership_id=m.membership_id, company_id=m.company_id, role=m.role.value, status=m.status.value
                )
                for m in view.memberships
            ],
        )


def access_out(access: AccessModel) -> AccessOut:
    return AccessOut(
        user_id=access.user_id,
        company_id=access.company_id,
        membership_id=access.membership_id,
        role=access.role.value,
        modules=list(access.modules),
        permissions=list(access.permissions),
        delegation=DelegationOut(
            can_manage_members=access.delegation.can_manage_members,
            modules=list(access.delegation.modules),
            permissions=list(access.delegation.permissions),
        ),
        entitlement_version=access.entitlement_version,
        access_version=access.access_version,
        valid_until=access.valid_until,
    )


# --- tenant management -----------------------------------------------------------------------


class CreateMembershipBody(Body):
    email: Email
    name: Name
    role: RoleValue
    password: Password | None = None


class UpdateMembershipBody(Body):
    role: RoleValue | UnsetType = UNSET
    status: StatusValue | UnsetType = UNSET


class ModulesBody(Body):
    modules: Grants


class PermissionsBody(Body):
    permissions: Grants


class DelegationBody(Body):
    can_manage_members: bool
    modules: OptionalGrants
    permissions: OptionalGrants


class MembershipOut(Out):
    """A membership with its grants as written (patterns not expanded), sorted."""

    membership_id: UUID
    user_id: UUID
    company_id: UUID
    email: str
    name: str
    role: str
    status: str
    modules: list[str]
    permissions: list[str]
    delegation: DelegationOut

    @classmethod
    def of(cls, view: MembershipView) -> MembershipOut:
        return cls(**_membership_fields(view))  # type: ignore[arg-type]


class CreatedMembershipOut(MembershipOut):
    user_created: bool

    @classmethod
    def created(cls, result: MembershipCreated) -> CreatedMembershipOut:
        return cls(**_membership_fields(result.membership), user_created=result.user_created)  # type: ignore[arg-type]


def _membership_fields(view: MembershipView) -> dict[str, object]:
    return {
        "membership_id": view.membership_id,
        "user_id": view.user_id,
        "company_id": view.company_id,
        "email": view.email,
        "name": view.name,
        "role": view.role.value,
        "status": view.status.value,
        "modules": list(view.modules),
        "permissions": list(view.permissions),
        "delegation": DelegationOut(
            can_manage_members=view.delegation.can_manage_members,
            modules=list(view.delegation.modules),
            permissions=list(view.delegation.permissions),
        ),
    }


class MembershipPageOut(Out):
    items: list[MembershipOut]
    page: int
    limit: int
    total: int

    @classmethod
    def of(cls, page: Page[MembershipView]) -> MembershipPageOut:
        return cls(items=[MembershipOut.of(v) for v in page.items], page=page.page, limit=page.limit, total=page.total)


# --- internal (admin) ------------------------------------------------------------------------


def permission_out(permission: Permission) -> PermissionOut:
    return PermissionOut(key=permission.key, description=permission.description)


def permission_page_out(page: Page[Permission]) -> PermissionPageOut:
    return PermissionPageOut(
        items=[permission_out(p) for p in page.items], page=page.page, limit=page.limit, total=page.total
    )


def owner_out(owner: OwnerMembership) -> OwnerOut:
    return OwnerOut(user_id=owner.user_id, membership_id=owner.membership_id)


# --- JWKS (public) ---------------------------------------------------------------------------


class JwksKeyOut(Out):
    kty: str
    kid: str
    use: str
    alg: str
    n: str
    e: str


class JwksOut(Out):
    keys: list[JwksKeyOut]
