"""The enforcement chain and the one Litestar guard that runs it on every business route.

Order (DESIGN §4), each step failing closed: 1 bearer token → 2 ``x-org`` → 3 effective access
from auth → 4 the backend's module → 5 the route's permission.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from kisum.adapters.http.common.enforcement.access import AccessContext, AccessResolver
from kisum.adapters.http.common.enforcement.permissions import permission_of
from kisum.adapters.http.common.enforcement.tokens import TokenAuthenticator, require_bearer_token
from kisum.adapters.http.common.metrics import Metrics
from kisum.domain.errors import DomainError, Forbidden, InvalidInput, NotAuthenticated, Unavailable

ORG_HEADER = "x-org"
_ORG_HEADER_BYTES = ORG_HEADER.encode()
STATE_KEY = "kisum_access"
ENFORCER_STATE_KEY = "kisum_enforcer"
_CANONICAL_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

AUTH_FAILURES = ("kisum_enforcement_auth_failures", "Requests refused for a missing or invalid bearer token.")
DENIALS = ("kisum_enforcement_denials", "Requests refused by x-org, membership, module or permission checks.")
UNAVAILABLE = ("kisum_enforcement_access_unavailable", "Requests failed closed because access could not be resolved.")
ACCESS_CACHE = ("kisum_enforcement_access_cache", "Effective-access lookups by cache result.")


def company_of(value: str | None) -> UUID:
    if value is None or not value.strip():
        raise InvalidInput("The x-org header (active company id) is required.", code="ORG_HEADER_MISSING")
    value = value.strip()
    if not _CANONICAL_UUID.fullmatch(value):
        raise InvalidInput("The x-org header must be a company id (UUID).", code="ORG_HEADER_INVALID")
    return UUID(value)


class Enforcer:
    """Runs the five checks for one backend (``module``); returns the caller's access context."""

    def __init__(self, *, module: str, tokens: TokenAuthenticator, access: AccessResolver) -> None:
        self.module = module
        self.tokens = tokens
        self.access = access

    async def check(
        self,
        *,
        authorization: str | None,
        org: str | None,
        permission: str | None,
        metrics: Metrics | None = None,
    ) -> AccessContext:
        try:
            token = require_bearer_token(authorization)
            claims = await self.tokens.authenticate(token)
            company_id = company_of(org)
            lookup = await self.access.resolve(f"Bearer {token}", company_id, claims)
            if metrics is not None:
                metrics.increment(*ACCESS_CACHE, result="hit" if lookup.cached else "miss")
            context = lookup.context
            if self.module not in context.modules:
                raise Forbidden(
                    f"The {self.module} module is not enabled for you in this company.", code="MODULE_DISABLED"
                )
            if permission is None or permission not in context.permissions:
                raise Forbidden("You do not have the permission this action needs.", code="PERMISSION_DENIED")
        except DomainError as error:
            if metrics is not None:
                _count(metrics, error)
            raise
        return context


def _count(metrics: Metrics, error: DomainError) -> None:
    if isinstance(error, NotAuthenticated):
        metrics.increment(*AUTH_FAILURES, code=error.code)
    elif isinstance(error, Unavailable):
        metrics.increment(*UNAVAILABLE, code=error.code)
    else:
        metrics.increment(*DENIALS, code=error.code)


async def require_access(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """The guard of every business route (``@inject`` does not work on guards: ask the container).

    It runs on every request, so it reads the raw scope: ``connection.state`` and
    ``connection.headers`` build a new wrapper object on each access.
    """
    request_state: dict[str, Any] = connection.scope["state"]
    app_state = connection.app.state
    enforcer: Enforcer | None = app_state.get(ENFORCER_STATE_KEY)
    if enforcer is None:  # APP scope: one per process, so resolving it once is the same object
        enforcer = await request_state["dishka_container"].get(Enforcer)
        app_state[ENFORCER_STATE_KEY] = enforcer
    authorization, org = _authorization_and_org(connection.scope["headers"])
    request_state[STATE_KEY] = await enforcer.check(
        authorization=authorization,
        org=org,
        permission=permission_of(handler.opt),
        metrics=app_state.get("metrics"),
    )


def _authorization_and_org(raw_headers: Iterable[tuple[bytes, bytes]]) -> tuple[str | None, str | None]:
    """The first value of each (ASGI gives header names lower-cased), as ``Headers.get`` would."""
    authorization: str | None = None
    org: str | None = None
    for name, value in raw_headers:
        if name == b"authorization" and authorization is None:
            authorization = value.decode("latin-1")
        elif name == _ORG_HEADER_BYTES and org is None:
            org = value.decode("latin-1")
    return authorization, org


def access_context_of(connection: ASGIConnection[Any, Any, Any, Any]) -> AccessContext:
    """The context the guard stored; a route without the guard has none (and that is a bug)."""
    context = connection.scope["state"].get(STATE_KEY)
    if not isinstance(context, AccessContext):
        raise RuntimeError("no access context: the route is not behind the enforcement guard")
    return context
