"""A business backend's app, from its declaration and the container its composition root built.

``EnforcementProvider`` gives that container the kit's objects (token verification, the access
resolver, the request's ``AccessContext``); ``build_business_app`` puts every declared route under
``/api`` behind the enforcement middleware and adds database start-up and readiness.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from dishka import AsyncContainer, Provider, Scope, provide
from dishka.integrations.base import default_parse_dependency
from dishka.integrations.litestar import DishkaRouter
from litestar import Litestar, Request
from litestar.routes import HTTPRoute
from litestar.types import ControllerRouterHandler
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.contracts.access import ACCESS_PATH
from kisum.adapters.http.common.app import RoleAppSpec, create_role_app
from kisum.adapters.http.common.enforcement.access import AccessContext, AccessResolver, AuthAccessClient
from kisum.adapters.http.common.enforcement.backend import BusinessBackend, check_declarations
from kisum.adapters.http.common.enforcement.guard import Enforcer, access_of, enforcement_middleware
from kisum.adapters.persistence.database import ping
from kisum.adapters.persistence.migrations import prepare_database
from kisum.adapters.security.access_tokens import AccessTokenVerifier
from kisum.adapters.security.identity import JWKS_PATH, JwksKeySource, TokenAuthenticator
from kisum.config import Role, Settings

API_PREFIX = "/api"
MULTIPART_OVERHEAD_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class AuthHttp:
    """The one pooled httpx client a backend uses to reach auth."""

    client: httpx.AsyncClient


def auth_http_client(settings: Settings) -> httpx.AsyncClient:
    timeout = settings.internal_call_timeout_seconds
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 1.0)),
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=50, keepalive_expiry=30.0),
        follow_redirects=False,
    )


class EnforcementProvider(Provider):
    """The kit's objects (APP scope, one per process) and the request's ``AccessContext``."""

    scope = Scope.APP

    def __init__(self, module: str, http_client: httpx.AsyncClient | None = None) -> None:
        super().__init__()
        self.module = module
        self.http_client = http_client

    @provide
    async def auth_http(self, settings: Settings) -> AsyncIterator[AuthHttp]:
        if self.http_client is not None:  # injected (tests, or a shared client): its owner closes it
            yield AuthHttp(self.http_client)
            return
        client = auth_http_client(settings)
        try:
            yield AuthHttp(client)
        finally:
            await client.aclose()

    @provide
    def keys(self, settings: Settings, http: AuthHttp) -> JwksKeySource:
        return JwksKeySource(
            http.client,
            url=settings.url_of(Role.AUTH) + JWKS_PATH,
            algorithm=settings.jwt_algorithm,
            cache_seconds=settings.jwks_cache_seconds,
            min_refresh_seconds=settings.jwks_min_refresh_seconds,
            timeout_seconds=settings.internal_call_timeout_seconds,
        )

    @provide
    def tokens(self, settings: Settings, keys: JwksKeySource) -> TokenAuthenticator:
        verifier = AccessTokenVerifier(
            algorithm=settings.jwt_algorithm, issuer=settings.jwt_issuer, audience=settings.jwt_audience
        )
        return TokenAuthenticator(keys, verifier, cache_size=settings.token_cache_size)

    @provide
    def access(self, settings: Settings, http: AuthHttp) -> AccessResolver:
        client = AuthAccessClient(
            http.client,
            url=settings.url_of(Role.AUTH) + ACCESS_PATH,
            timeout_seconds=settings.internal_call_timeout_seconds,
        )
        return AccessResolver(
            client, cache_seconds=settings.access_cache_seconds, cache_size=settings.access_cache_size
        )

    @provide
    def enforcer(self, tokens: TokenAuthenticator, access: AccessResolver) -> Enforcer:
        return Enforcer(module=self.module, tokens=tokens, access=access)

    @provide(scope=Scope.REQUEST)
    def access_context(self, request: Request) -> AccessContext:  # type: ignore[type-arg]  # dishka keys on the bare class
        return access_of(request)


def build_business_app(backend: BusinessBackend, settings: Settings, container: AsyncContainer) -> Litestar:
    """The backend's app: every route under ``/api`` behind the enforcement middleware, in DESIGN's order.

    ``container`` holds ``EnforcementProvider``'s objects, the backend's own, and (if the backend
    uses a database) the role's ``AsyncEngine``; the app closes it when it shuts down.
    """
    check_declarations(backend)
    readiness = list(backend.readiness_checks)
    on_startup = list(backend.on_startup)
    if backend.uses_database:

        async def database_ready() -> None:
            await ping(await container.get(AsyncEngine))

        async def prepare() -> None:
            await prepare_database(await container.get(AsyncEngine), backend.role.value)

        readiness.insert(0, ("database", database_ready))
        on_startup.insert(0, prepare)

    async def enforcer() -> Enforcer:
        return await container.get(Enforcer)

    enforce = enforcement_middleware(enforcer)
    # dishka's router injects the FromDishka parameters (``access: Access`` among them) of the
    # controllers and handlers given to it (not of a Router nested in it: check_injected refuses
    # to start with one); ``access`` comes from the request's scope state, where ``enforce`` put it.
    api = DishkaRouter(path=API_PREFIX, route_handlers=_route_handlers(backend, settings), middleware=[enforce])
    spec = RoleAppSpec(
        role=backend.role,
        route_handlers=[api],
        readiness_checks=readiness,
        on_startup=on_startup,
        on_shutdown=list(backend.on_shutdown),
        security=("bearer", "org"),
        description=backend.description,
        extra_state={"module": backend.module},
    )
    app = create_role_app(spec, settings, container)
    check_enforced(app, enforce)
    check_injected(app)
    return app


def _route_handlers(backend: BusinessBackend, settings: Settings) -> list[ControllerRouterHandler]:
    """The declared routes; upload controllers subclassed with the body limit of the settings."""
    limit = settings.file_max_bytes + MULTIPART_OVERHEAD_BYTES
    sized: dict[object, ControllerRouterHandler] = {
        controller: type(controller.__name__, (controller,), {"request_max_body_size": limit})
        for controller in backend.upload_controllers
    }
    return [sized.get(handler, handler) for handler in backend.route_handlers]


def _api_handlers(app: Litestar) -> list[Any]:
    return [
        (route, handler)
        for route in app.routes
        if route.path == API_PREFIX or route.path.startswith(API_PREFIX + "/")
        for handler in (route.route_handlers if isinstance(route, HTTPRoute) else [route.route_handler])
    ]


def check_enforced(app: Litestar, enforce: object) -> None:
    """Refuse to start if any route under ``/api`` would not pass the enforcement middleware."""
    bypassing = sorted(
        f"{handler.handler_name} {route.path}"
        for route, handler in _api_handlers(app)
        if enforce not in handler.resolve_middleware()
    )
    if bypassing:
        raise ValueError(f"routes under {API_PREFIX} without enforcement: {', '.join(bypassing)}")


def check_injected(app: Litestar) -> None:
    """Refuse to start if a ``FromDishka`` parameter under ``/api`` was left to Litestar (STYLE
    pitfall 3: a Router nested in the ``/api`` router is not injected, and its ``FromDishka``
    parameters would become required query parameters)."""
    missed = sorted(
        f"{handler.handler_name} {route.path}" for route, handler in _api_handlers(app) if _dishka_parameters(handler)
    )
    if missed:
        raise ValueError(f"routes under {API_PREFIX} with FromDishka parameters not injected: {', '.join(missed)}")


def _dishka_parameters(handler: Any) -> list[str]:
    """Names of the ``FromDishka`` parameters Litestar would have to supply itself (none once injected)."""
    return [
        name
        for name, parameter in handler.parsed_fn_signature.parameters.items()
        if default_parse_dependency(_ANY_PARAMETER, parameter.raw) is not None
    ]


_ANY_PARAMETER = inspect.Parameter("_", inspect.Parameter.KEYWORD_ONLY)
