"""Auth's API: thin controllers over the auth command and query handlers.

- ``/auth/login``, ``/auth/refresh`` and the JWKS are public;
- every other ``/auth/*`` route needs a bearer access token whose session is live
  (``require_user``), and the tenant routes and ``/auth/me/access`` also an ``x-org``;
- ``/internal/*`` needs a service token addressed to auth from an allowed caller role; a user's
  access token is never a service credential there (401).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from msgspec import UNSET

from kisum.adapters.contracts.access import AccessOut
from kisum.adapters.contracts.events import EntitlementsChangedBody
from kisum.adapters.contracts.owners import OwnerBody, OwnerOut
from kisum.adapters.contracts.permissions import PermissionBody, PermissionOut, PermissionPageOut
from kisum.adapters.contracts.users import InternalUserOut
from kisum.adapters.http.auth.bearer import (
    TOKEN_IN_ORG,
    USER,
    USER_IN_ORG,
    BearerAuthenticator,
    claims_of,
    company_of_request,
    principal_of,
    tenant_actor_of,
)
from kisum.adapters.http.auth.schemas import (
    CreatedMembershipOut,
    CreateMembershipBody,
    DelegationBody,
    JwksOut,
    LoginBody,
    MembershipOut,
    MembershipPageOut,
    MeOut,
    ModulesBody,
    PermissionsBody,
    RefreshBody,
    SessionPageOut,
    TokenPairOut,
    UpdateMembershipBody,
    access_out,
    owner_out,
    permission_out,
    permission_page_out,
)
from kisum.adapters.http.common.client_ip import client_ip
from kisum.adapters.http.common.params import PageLimit, PageNumber
from kisum.adapters.security.service_tokens import CALLER_STATE_KEY, require_service
from kisum.adapters.security.signing_keys import KeyRing
from kisum.application.auth.commands import (
    CreateMembership,
    CreateOwnerMembership,
    CreatePermission,
    DeletePermission,
    GrantModules,
    GrantPermissions,
    HandleEntitlementsChanged,
    Login,
    Logout,
    LogoutAll,
    Refresh,
    RevokeModule,
    RevokeOwnSession,
    RevokePermission,
    ServiceCaller,
    SetDelegationPolicy,
    UpdateMembership,
)
from kisum.application.auth.platform_handlers import (
    CreateOwnerMembershipHandler,
    CreatePermissionHandler,
    DeletePermissionHandler,
    HandleEntitlementsChangedHandler,
)
from kisum.application.auth.queries import GetMe, GetMyAccess, ListMySessions, ListPermissions, ListTenantUsers
from kisum.application.auth.query_handlers import (
    GetMeHandler,
    GetMyAccessHandler,
    ListMySessionsHandler,
    ListPermissionsHandler,
    ListTenantUsersHandler,
)
from kisum.application.auth.session_handlers import (
    LoginHandler,
    LogoutAllHandler,
    LogoutHandler,
    RefreshHandler,
    RevokeOwnSessionHandler,
)
from kisum.application.auth.tenant_handlers import (
    CreateMembershipHandler,
    GrantModulesHandler,
    GrantPermissionsHandler,
    RevokeModuleHandler,
    RevokePermissionHandler,
    SetDelegationPolicyHandler,
    UpdateMembershipHandler,
)
from kisum.application.ports import Clock
from kisum.config import Role, Settings
from kisum.domain.auth.identity import MembershipStatus
from kisum.domain.auth.identity import Role as MembershipRole
from kisum.domain.errors import InvalidInput, NotAuthenticated, NotFound

AnyRequest = Request[Any, Any, Any]

FROM_CORE = require_service(Role.CORE)
FROM_ADMIN = require_service(Role.ADMIN)
NO_STORE = CacheControlHeader(no_store=True)


def _uuid(raw: str, what: str) -> UUID:
    """Path ids are parsed after the guards, so a malformed one is a clear 400 (never a 500)."""
    try:
        return UUID(raw)
    except ValueError:
        raise InvalidInput(f"{raw[:64]!r} is not a {what} id (a UUID).", code="INVALID_ID") from None


def _forwarded_for(request: AnyRequest) -> str | None:
    """Every ``X-Forwarded-For`` header, joined in order (a proxy may append its own line)."""
    values = request.headers.getall("x-forwarded-for", [])
    return ",".join(values) if values else None


# --- sessions --------------------------------------------------------------------------------


BEARER: list[dict[str, list[str]]] = [{"bearer": []}]
"""OpenAPI security requirement of routes for a logged-in user (schemes: common/app.py)."""


class SessionController(Controller):
    path = "/auth"
    tags = ["sessions"]

    @post("/login", status_code=HTTP_200_OK, cache_control=NO_STORE)
    async def login(
        self,
        request: AnyRequest,
        data: JSONBody[LoginBody],
        handler: FromDishka[LoginHandler],
        settings: FromDishka[Settings],
    ) -> TokenPairOut:
        """Email and password → an access token and a refresh token (a new session)."""
        peer = request.client.host if request.client else None
        command = Login(
            email=data.email,
            password=data.password,
            user_agent=request.headers.get("user-agent"),
            ip=client_ip(peer, _forwarded_for(request), settings.trusted_proxies),
        )
        return TokenPairOut.of(await handler(command))

    @post("/refresh", status_code=HTTP_200_OK, cache_control=NO_STORE)
    async def refresh(self, data: JSONBody[RefreshBody], handler: FromDishka[RefreshHandler]) -> TokenPairOut:
        """Rotate the refresh token; presenting an already-rotated one revokes the session."""
        return TokenPairOut.of(await handler(Refresh(refresh_token=data.refresh_token)))

    @post("/logout", guards=USER, status_code=HTTP_204_NO_CONTENT, security=BEARER)
    async def logout(self, request: AnyRequest, handler: FromDishka[LogoutHandler]) -> None:
        """Revoke the session of this access token."""
        principal = principal_of(request)
        await handler(Logout(user_id=principal.user_id, session_id=principal.session_id))

    @post("/logout-all", guards=USER, status_code=HTTP_204_NO_CONTENT, security=BEARER)
    async def logout_all(self, request: AnyRequest, handler: FromDishka[LogoutAllHandler]) -> None:
        """Revoke every session of the caller; every access token stops working at once."""
        await handler(LogoutAll(user_id=principal_of(request).user_id))


# --- me --------------------------------------------------------------------------------------


class MeController(Controller):
    path = "/auth/me"
    security = BEARER
    tags = ["me"]

    @get("/", guards=USER, cache_control=NO_STORE)
    async def me(self, request: AnyRequest, handler: FromDishka[GetMeHandler]) -> MeOut:
        return MeOut.of(await handler(GetMe(user_id=principal_of(request).user_id)))

    @get("/access", guards=TOKEN_IN_ORG, cache_control=NO_STORE, security=[{"bearer": [], "org": []}])
    async def my_access(self, request: AnyRequest, handler: FromDishka[GetMyAccessHandler]) -> AccessOut:
        """Effective access in the ``x-org`` company: entitlements ∩ grants (DESIGN §2).

        The handler checks the token's session (live, token version current) in the statement
        that reads the access stamp, so the guard verifies only the token itself."""
        claims = claims_of(request)
        query = GetMyAccess(
            user_id=claims.user_id,
            session_id=claims.session_id,
            token_version=claims.token_version,
            company_id=company_of_request(request),
        )
        return access_out(await handler(query))

    @get("/sessions", guards=USER, cache_control=NO_STORE)
    async def my_sessions(
        self,
        request: AnyRequest,
        handler: FromDishka[ListMySessionsHandler],
        page: PageNumber = 1,
        limit: PageLimit = 20,
    ) -> SessionPageOut:
        principal = principal_of(request)
        query = ListMySessions(
            user_id=principal.user_id, current_session_id=principal.session_id, page=page, limit=limit
        )
        return SessionPageOut.of(await handler(query))

    @delete("/sessions/{session_id:str}", guards=USER, status_code=HTTP_204_NO_CONTENT)
    async def revoke_session(
        self, request: AnyRequest, session_id: FromPath[str], handler: FromDishka[RevokeOwnSessionHandler]
    ) -> None:
        principal = principal_of(request)
        await handler(RevokeOwnSession(user_id=principal.user_id, session_id=_uuid(session_id, "session")))


# --- tenant management -----------------------------------------------------------------------


class TenantController(Controller):
    path = "/auth/tenant"
    security = [{"bearer": [], "org": []}]
    tags = ["tenant"]
    guards = USER_IN_ORG

    @get("/users")
    async def users(
        self,
        request: AnyRequest,
        handler: FromDishka[ListTenantUsersHandler],
        page: PageNumber = 1,
        limit: PageLimit = 20,
    ) -> MembershipPageOut:
        """Members of the company with their grants as written (patterns not expanded)."""
        return MembershipPageOut.of(
            await handler(ListTenantUsers(actor=tenant_actor_of(request), page=page, limit=limit))
        )

    @post("/memberships", status_code=HTTP_201_CREATED)
    async def create_membership(
        self, request: AnyRequest, data: JSONBody[CreateMembershipBody], handler: FromDishka[CreateMembershipHandler]
    ) -> CreatedMembershipOut:
        """Add a member, creating the user if the email is new (an existing user's password is kept)."""
        command = CreateMembership(
            actor=tenant_actor_of(request),
            email=data.email,
            name=data.name,
            role=MembershipRole(data.role),
            password=data.password,
        )
        return CreatedMembershipOut.created(await handler(command))

    @patch("/memberships/{membership_id:str}")
    async def update_membership(
        self,
        request: AnyRequest,
        membership_id: FromPath[str],
        data: JSONBody[UpdateMembershipBody],
        handler: FromDishka[UpdateMembershipHandler],
    ) -> MembershipOut:
        command = UpdateMembership(
            actor=tenant_actor_of(request),
            membership_id=_uuid(membership_id, "membership"),
            role=None if data.role is UNSET else MembershipRole(data.role),
            status=None if data.status is UNSET else MembershipStatus(data.status),
        )
        return MembershipOut.of(await handler(command))

    @post("/memberships/{membership_id:str}/modules", status_code=HTTP_200_OK)
    async def grant_modules(
        self,
        request: AnyRequest,
        membership_id: FromPath[str],
        data: JSONBody[ModulesBody],
        handler: FromDishka[GrantModulesHandler],
    ) -> MembershipOut:
        command = GrantModules(
            actor=tenant_actor_of(request),
            membership_id=_uuid(membership_id, "membership"),
            modules=tuple(data.modules),
        )
        return MembershipOut.of(await handler(command))

    @delete("/memberships/{membership_id:str}/modules/{module:str}", status_code=HTTP_200_OK)
    async def revoke_module(
        self,
        request: AnyRequest,
        membership_id: FromPath[str],
        module: FromPath[str],
        handler: FromDishka[RevokeModuleHandler],
    ) -> MembershipOut:
        command = RevokeModule(
            actor=tenant_actor_of(request), membership_id=_uuid(membership_id, "membership"), module=module
        )
        return MembershipOut.of(await handler(command))

    @post("/memberships/{membership_id:str}/permissions", status_code=HTTP_200_OK)
    async def grant_permissions(
        self,
        request: AnyRequest,
        membership_id: FromPath[str],
        data: JSONBody[PermissionsBody],
        handler: FromDishka[GrantPermissionsHandler],
    ) -> MembershipOut:
        command = GrantPermissions(
            actor=tenant_actor_of(request),
            membership_id=_uuid(membership_id, "membership"),
            permissions=tuple(data.permissions),
        )
        return MembershipOut.of(await handler(command))

    @delete("/memberships/{membership_id:str}/permissions/{permission:str}", status_code=HTTP_200_OK)
    async def revoke_permission(
        self,
        request: AnyRequest,
        membership_id: FromPath[str],
        permission: FromPath[str],
        handler: FromDishka[RevokePermissionHandler],
    ) -> MembershipOut:
        command = RevokePermission(
            actor=tenant_actor_of(request), membership_id=_uuid(membership_id, "membership"), permission=permission
        )
        return MembershipOut.of(await handler(command))

    @put("/memberships/{membership_id:str}/delegation")
    async def set_delegation(
        self,
        request: AnyRequest,
        membership_id: FromPath[str],
        data: JSONBody[DelegationBody],
        handler: FromDishka[SetDelegationPolicyHandler],
    ) -> MembershipOut:
        command = SetDelegationPolicy(
            actor=tenant_actor_of(request),
            membership_id=_uuid(membership_id, "membership"),
            can_manage_members=data.can_manage_members,
            modules=tuple(data.modules),
            permissions=tuple(data.permissions),
        )
        return MembershipOut.of(await handler(command))


# --- JWKS ------------------------------------------------------------------------------------


def _jwks_response(ring: KeyRing, clock: Clock, settings: Settings) -> Response[JwksOut]:
    # Converted through a Struct that has only the public members: nothing else can leak out.
    document = msgspec.convert(ring.jwks_document(clock.now()), JwksOut)
    return Response(document, headers={"cache-control": f"public, max-age={settings.jwks_cache_seconds}"})


class JwksController(Controller):
    path = "/"
    tags = ["jwks"]

    @get("/.well-known/jwks.json")
    async def jwks(
        self, ring: FromDishka[KeyRing], clock: FromDishka[Clock], settings: FromDishka[Settings]
    ) -> Response[JwksOut]:
        """Every public key that can still verify a live access token."""
        return _jwks_response(ring, clock, settings)

    @get("/auth/.well-known/jwks.json", include_in_schema=False)
    async def jwks_under_auth(
        self, ring: FromDishka[KeyRing], clock: FromDishka[Clock], settings: FromDishka[Settings]
    ) -> Response[JwksOut]:
        return _jwks_response(ring, clock, settings)


# --- internal --------------------------------------------------------------------------------


def _service_caller(request: AnyRequest) -> ServiceCaller:
    caller = request.state.get(CALLER_STATE_KEY)
    if not isinstance(caller, Role):
        raise RuntimeError("no service caller: the route is not behind require_service")
    return ServiceCaller(role=caller.value)


class InternalController(Controller):
    path = "/internal"
    security = [{"service": []}]
    tags = ["internal"]

    @post("/events/entitlements-changed", guards=[FROM_CORE], status_code=HTTP_204_NO_CONTENT)
    async def entitlements_changed(
        self, data: JSONBody[EntitlementsChangedBody], handler: FromDishka[HandleEntitlementsChangedHandler]
    ) -> None:
        """Core changed a company's entitlements: drop its cached entitlements and access."""
        await handler(
            HandleEntitlementsChanged(company_id=data.company_id, entitlement_version=data.entitlement_version)
        )

    @get("/permissions", guards=[FROM_ADMIN])
    async def list_permissions(
        self, handler: FromDishka[ListPermissionsHandler], page: PageNumber = 1, limit: PageLimit = 100
    ) -> PermissionPageOut:
        return permission_page_out(await handler(ListPermissions(page=page, limit=limit)))

    @post("/permissions", guards=[FROM_ADMIN], status_code=HTTP_201_CREATED)
    async def create_permission(
        self, request: AnyRequest, data: JSONBody[PermissionBody], handler: FromDishka[CreatePermissionHandler]
    ) -> PermissionOut:
        command = CreatePermission(caller=_service_caller(request), key=data.key, description=data.description)
        return permission_out(await handler(command))

    @delete("/permissions/{key:str}", guards=[FROM_ADMIN], status_code=HTTP_204_NO_CONTENT)
    async def delete_permission(
        self, request: AnyRequest, key: FromPath[str], handler: FromDishka[DeletePermissionHandler]
    ) -> None:
        await handler(DeletePermission(caller=_service_caller(request), key=key))

    @post("/owners", guards=[FROM_ADMIN], status_code=HTTP_201_CREATED)
    async def create_owner(
        self, request: AnyRequest, data: JSONBody[OwnerBody], handler: FromDishka[CreateOwnerMembershipHandler]
    ) -> Response[OwnerOut]:
        """Idempotent on (company, email): 201 when created, 200 with the same ids afterwards."""
        owner = await handler(
            CreateOwnerMembership(
                company_id=data.company_id,
                email=data.email,
                name=data.name,
                password=data.password,
                caller=_service_caller(request),
            )
        )
        return Response(owner_out(owner), status_code=HTTP_201_CREATED if owner.created else HTTP_200_OK)

    @get("/users/{user_id:str}", guards=[FROM_ADMIN])
    async def get_user(
        self,
        user_id: FromPath[str],
        handler: FromDishka[GetMeHandler],
        authenticator: FromDishka[BearerAuthenticator],
        session_id: Annotated[UUID | None, QueryParameter(name="sessionId")] = None,
        token_version: Annotated[int | None, QueryParameter(name="tokenVersion")] = None,
    ) -> InternalUserOut:
        """A user; with ``sessionId`` and ``tokenVersion``, also whether that access token is still good."""
        uid = _uuid(user_id, "user")
        session_active: bool | None = None
        if session_id is not None and token_version is not None:
            try:
                await authenticator.check_session(uid, session_id, token_version)
                session_active = True
            except NotAuthenticated:
                session_active = False
        try:
            me = await handler(GetMe(user_id=uid))
        except NotAuthenticated:  # GetMe's "no such user" is a 401 for a caller; here it is a lookup
            raise NotFound("User not found.", code="USER_NOT_FOUND") from None
        return InternalUserOut(
            id=me.id,
            email=me.email,
            name=me.name,
            is_platform_admin=me.is_platform_admin,
            session_active=session_active,
        )


ROUTE_HANDLERS = [SessionController, MeController, TenantController, JwksController, InternalController]
