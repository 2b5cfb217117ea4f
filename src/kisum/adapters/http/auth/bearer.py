"""Bearer authentication of auth's own ``/auth/*`` routes.

Two steps, both failing with 401 ``UNAUTHENTICATED`` and never 500:

1. the JWT: the one caller-identity pipeline of every role (``kisum.adapters.security.identity``:
   bearer header, verified-token cache, header checks, signature and claims), with auth's own key
   ring as its key source (``KeyRingKeySource``: the ring's verification keys only);
2. the session, which is auth's alone: ``AuthenticateAccessTokenHandler`` (session live, user
   active, token version current), so a logout, logout-all or refresh-token reuse stops the
   token at once.

In a request the check runs in the request's Unit of Work, as a read-only block entered and left
before the route's handler enters it again (each block checks a pooled connection out only while
it runs). Outside a request (``authenticate`` without a Unit of Work) it opens one of its own.

``GET /auth/me/access``, the one route every backend calls, is the exception: its guard runs
step 1 only and its handler runs step 2 in the same statement that reads the access stamp.

Verified tokens are remembered (whole token string, until ``exp``, bounded LRU) until the ring's
key set changes (a reload that adds or removes a key empties the cache). A failure is never
remembered, and step 2 runs on every request whatever was remembered.
"""

from __future__ import annotations

from typing import Any, Final
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from kisum.adapters.http.common.enforcement.guard import ORG_HEADER, authorization_and_org, company_of
from kisum.adapters.security.access_tokens import AccessClaims, AccessTokenVerifier
from kisum.adapters.security.identity import TokenAuthenticator
from kisum.adapters.security.signing_keys import KeyRing, KeyRingKeySource
from kisum.application.auth.commands import TenantActor
from kisum.application.auth.ports import AuthUnitOfWork, AuthUnitOfWorkFactory
from kisum.application.auth.queries import AuthenticateAccessToken
from kisum.application.auth.session_handlers import AuthenticateAccessTokenHandler
from kisum.application.auth.views import Principal
from kisum.application.ports import Clock

PRINCIPAL_STATE_KEY: Final = "kisum_principal"
COMPANY_STATE_KEY: Final = "kisum_company"
CLAIMS_STATE_KEY: Final = "kisum_claims"
_AUTHENTICATOR_STATE_KEY: Final = "kisum_bearer_authenticator"


class BearerAuthenticator:
    """``Authorization`` header → ``Principal`` (one per process; holds no request state)."""

    def __init__(
        self,
        ring: KeyRing,
        verifier: AccessTokenVerifier,
        uow_factory: AuthUnitOfWorkFactory,
        clock: Clock,
        *,
        cache_size: int = 10_000,
    ):
        self._uow_factory = uow_factory
        self._clock = clock
        self._tokens = TokenAuthenticator(
            KeyRingKeySource(ring, clock.now),
            verifier,
            cache_size=cache_size,
            now=lambda: clock.now().timestamp(),
        )

    async def verify_token(self, authorization: str | None) -> AccessClaims:
        """Step 1 only: a token signed by one of our keys, unexpired, for our audience."""
        return await self._tokens.claims_of(authorization)

    async def check_session(
        self, user_id: UUID, session_id: UUID, token_version: int, uow: AuthUnitOfWork | None = None
    ) -> Principal:
        """Step 2: the session is live, the user active and the token version current, else 401."""
        handler = AuthenticateAccessTokenHandler(uow if uow is not None else self._uow_factory(), self._clock)
        return await handler(
            AuthenticateAccessToken(user_id=user_id, session_id=session_id, token_version=token_version)
        )

    async def authenticate(self, authorization: str | None, uow: AuthUnitOfWork | None = None) -> Principal:
        claims = await self.verify_token(authorization)
        return await self.check_session(claims.user_id, claims.session_id, claims.token_version, uow)


async def require_user(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: a valid access token whose session is live (``@inject`` does not work on guards)."""
    container = connection.state.dishka_container
    authenticator = await container.get(BearerAuthenticator)
    # No I/O (no connection checked out) before the JWT checks out.
    claims = await authenticator.verify_token(connection.headers.get("authorization"))
    uow = await container.get(AuthUnitOfWork)
    principal = await authenticator.check_session(claims.user_id, claims.session_id, claims.token_version, uow)
    connection.state[PRINCIPAL_STATE_KEY] = principal


async def require_token_in_org(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard of ``/auth/me/access``: step 1 only (the handler checks the session in the statement
    it reads anyway), then ``x-org``, in that order, reading both headers from the raw scope."""
    authenticator = connection.app.state.get(_AUTHENTICATOR_STATE_KEY)
    if authenticator is None:  # APP scope: one per process, so resolving it once is the same object
        authenticator = await connection.scope["state"]["dishka_container"].get(BearerAuthenticator)
        connection.app.state[_AUTHENTICATOR_STATE_KEY] = authenticator
    authorization, org = authorization_and_org(connection.scope["headers"])
    state = connection.scope["state"]
    state[CLAIMS_STATE_KEY] = await authenticator.verify_token(authorization)
    state[COMPANY_STATE_KEY] = company_of(org)


async def require_org(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard after ``require_user``: ``x-org`` present and a company id (same codes as the backends)."""
    connection.state[COMPANY_STATE_KEY] = company_of(connection.headers.get(ORG_HEADER))


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = connection.state.get(PRINCIPAL_STATE_KEY)
    if not isinstance(principal, Principal):
        raise RuntimeError("no principal: the route is not behind require_user")
    return principal


def claims_of(connection: ASGIConnection[Any, Any, Any, Any]) -> AccessClaims:
    claims = connection.scope["state"].get(CLAIMS_STATE_KEY)
    if not isinstance(claims, AccessClaims):
        raise RuntimeError("no claims: the route is not behind require_token_in_org")
    return claims


def company_of_request(connection: ASGIConnection[Any, Any, Any, Any]) -> UUID:
    company_id = connection.state.get(COMPANY_STATE_KEY)
    if not isinstance(company_id, UUID):
        raise RuntimeError("no company: the route is not behind require_org or require_token_in_org")
    return company_id


def tenant_actor_of(connection: ASGIConnection[Any, Any, Any, Any]) -> TenantActor:
    return TenantActor(user_id=principal_of(connection).user_id, company_id=company_of_request(connection))


USER = [require_user]
USER_IN_ORG = [require_user, require_org]
TOKEN_IN_ORG = [require_token_in_org]
"""For a handler that checks the token's session itself, in the statement it reads anyway."""
