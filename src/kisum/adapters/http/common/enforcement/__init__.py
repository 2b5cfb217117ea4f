"""The business-backend enforcement kit: one implementation used by basic, finance, market, touring,
venue and ai.

Every route under ``/api`` passes one middleware (``enforcement_middleware``, on the ``/api``
router, so no layer below can remove it) that runs DESIGN §4's checks in order, failing closed:

1. bearer token verified by the caller-identity pipeline of every role
   (``kisum.adapters.security.identity``) with auth's JWKS (httpx, cached, refreshed on an unknown
   ``kid`` at most once per ``jwks_min_refresh_seconds``; verified tokens kept in a bounded LRU
   until ``exp``) → 401 ``UNAUTHENTICATED`` + ``WWW-Authenticate: Bearer``;
2. ``x-org`` → 400 ``ORG_HEADER_MISSING`` / ``ORG_HEADER_INVALID``;
3. effective access from auth ``GET /auth/me/access`` (one pooled client, hard timeout,
   single-flight, cached ≤ ``access_cache_seconds`` ≤ 1 s and never past ``validUntil``)
   → 401, 403 ``NOT_A_MEMBER``, or 503 ``ACCESS_UNAVAILABLE`` + ``Retry-After``;
4. the backend's module → 403 ``MODULE_DISABLED``;
5. the route's declared permission → 403 ``PERMISSION_DENIED``.

A module backend declares only its module name and its controllers (each route declares its
permission); its composition root brings its persistence providers::

    # kisum/adapters/http/finance/controllers.py
    class InvoiceController(Controller):
        path = "/invoices"                      # served at /api/invoices

        @get("/", opt=requires("finance.invoice.view", "List invoices"))
        async def list_invoices(self, access: Access, ...) -> InvoicePage:  # FromDishka[...] for the rest
            ...  # access.company_id goes into the query; repositories are TenantRepository subclasses

    ROUTE_HANDLERS = [InvoiceController]

    # kisum/adapters/http/finance/app.py      (listed in kisum.adapters.http.backends)
    BACKEND = BusinessBackend(role=Role.FINANCE, module="finance", route_handlers=ROUTE_HANDLERS)

    # kisum/ioc/finance.py                    (the composition root, listed in kisum.ioc.registry)
    def create_app(settings: Settings | None = None, *, auth_http: httpx.AsyncClient | None = None) -> Litestar:
        return create_business_app(BACKEND, settings, providers=[FinanceProvider()], auth_http=auth_http)

``access: Access`` is ``FromDishka[AccessContext]``: the middleware leaves the ``AccessContext`` in
the request's scope state, the kit's dishka provider reads it back with ``access_of`` (see
``guard``), and dishka's ``DishkaRouter`` (the ``/api`` router) injects it with the rest.

A route without a permission, or with one of another module, stops the app from starting.
``declared_permissions(app_or_handlers)`` reads the declarations back, and
``business_permission_catalog(BUSINESS_BACKENDS.values())`` gives auth the catalog of every
registered backend. Persistence scopes every query with
``kisum.adapters.persistence.tenant.TenantRepository`` (built only with a company id; another
company's row is a 404). Tests pass ``auth_http=httpx.AsyncClient(transport=...)`` to reach a
test double of auth.
"""

from kisum.adapters.http.common.enforcement.access import AccessContext, AccessResolver, AuthAccessClient
from kisum.adapters.http.common.enforcement.app import (
    API_PREFIX,
    EnforcementProvider,
    auth_http_client,
    build_business_app,
)
from kisum.adapters.http.common.enforcement.backend import (
    BackendDeclarationError,
    BusinessBackend,
    business_permission_catalog,
    registry_of,
)
from kisum.adapters.http.common.enforcement.guard import (
    Access,
    Enforcer,
    access_of,
    company_of,
    enforcement_middleware,
)
from kisum.adapters.http.common.enforcement.permissions import declared_permissions, requires
from kisum.adapters.security.identity import JwksKeySource, TokenAuthenticator, require_bearer_token

__all__ = [
    "API_PREFIX",
    "Access",
    "AccessContext",
    "AccessResolver",
    "AuthAccessClient",
    "BackendDeclarationError",
    "BusinessBackend",
    "EnforcementProvider",
    "Enforcer",
    "JwksKeySource",
    "TokenAuthenticator",
    "access_of",
    "auth_http_client",
    "build_business_app",
    "business_permission_catalog",
    "company_of",
    "declared_permissions",
    "enforcement_middleware",
    "registry_of",
    "require_bearer_token",
    "requires",
]
