"""Bearer authentication of auth's own ``/auth/*`` routes.

Two steps, both failing with 401 ``UNAUTHENTICATED`` and never 500:

1. the JWT: header checked before any key is looked up (pinned algorithm, ``typ at+jwt``, no key
   material in the header, a ``kid``), the key taken from the ring's verification keys only,
   then signature, ``exp iat iss aud sub sid tv jti`` (``AccessTokenVerifier``);
2. the session: ``AuthenticateAccessTokenHandler`` (session live, user active, token version
   current), so a logout, logout-all or refresh-token reuse stops the token at once.

In a request the check runs in the request's Unit of Work, entered and left before the route's
handler enters it again: both use the request's one pooled connection, each in a transaction of
its own. Outside a request (``authenticate`` without a Unit of Work) it opens one of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from kisum.adapters.http.common.enforcement.guard import ORG_HEADER, company_of
from kisum.adapters.http.common.enforcement.tokens import require_bearer_token
from kisum.adapters.security.access_tokens import AccessClaims, AccessTokenVerifier, invalid_token
from kisum.adapters.security.signing_keys import KeyRing
from kisum.application.auth.commands import TenantActor
from kisum.application.auth.ports import AuthUnitOfWork
from kisum.application.auth.queries import AuthenticateAccessToken
from kisum.application.auth.session_handlers import AuthenticateAccessTokenHandler
from kisum.application.auth.views import Principal
from kisum.application.ports import Clock
from kisum.domain.errors import DomainError

logger = logging.getLogger("kisum.auth.bearer")

PRINCIPAL_STATE_KEY: Final = "kisum_principal"
COMPANY_STATE_KEY: Final = "kisum_company"

UnitOfWorkFactory = Callable[[], AuthUnitOfWork]


class BearerAuthenticator:
    """``Authorization`` header → ``Principal`` (one per process; holds no request state)."""

    def __init__(self, ring: KeyRing, verifier: AccessTokenVerifier, uow_factory: UnitOfWorkFactory, clock: Clock):
        self._ring = ring
        self._verifier = verifier
        self._uow_factory = uow_factory
        self._clock = clock

    def verify_token(self, authorization: str | None) -> AccessClaims:
        """Step 1 only: a token signed by one of our keys, unexpired, for our audience."""
        token = require_bearer_token(authorization)
        try:
            unverified = self._verifier.inspect(token)
            key = self._ring.verification_keys(self._clock.now()).get(unverified.kid)
            if key is None:
                raise invalid_token()
            return self._verifier.verify(unverified, key)
        except DomainError:
            raise
        except Exception:
            # Whatever a hostile token makes a parser do (deep nesting, odd encodings): 401.
            logger.info("unreadable access token refused", exc_info=True)
            raise invalid_token() from None

    async def check_session(
        self, user_id: UUID, session_id: UUID, token_version: int, uow: AuthUnitOfWork | None = None
    ) -> Principal:
        """Step 2: the session is live, the user active and the token version current, else 401."""
        handler = AuthenticateAccessTokenHandler(uow if uow is not None else self._uow_factory(), self._clock)
        return await handler(
            AuthenticateAccessToken(user_id=user_id, session_id=session_id, token_version=token_version)
        )

    async def authenticate(self, authorization: str | None, uow: AuthUnitOfWork | None = None) -> Principal:
        claims = self.verify_token(authorization)
        return await self.check_session(claims.user_id, claims.session_id, claims.token_version, uow)


async def require_user(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: a valid access token whose session is live (``@inject`` does not work on guards)."""
    container = connection.state.dishka_container
    authenticator = await container.get(BearerAuthenticator)
    claims = authenticator.verify_token(connection.headers.get("authorization"))  # no I/O before the JWT checks out
    uow = await container.get(AuthUnitOfWork)
    principal = await authenticator.check_session(claims.user_id, claims.session_id, claims.token_version, uow)
    connection.state[PRINCIPAL_STATE_KEY] = principal


async def require_org(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard after ``require_user``: ``x-org`` present and a company id (same codes as the backends)."""
    connection.state[COMPANY_STATE_KEY] = company_of(connection.headers.get(ORG_HEADER))


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = connection.state.get(PRINCIPAL_STATE_KEY)
    if not isinstance(principal, Principal):
        raise RuntimeError("no principal: the route is not behind require_user")
    return principal


def tenant_actor_of(connection: ASGIConnection[Any, Any, Any, Any]) -> TenantActor:
    company_id = connection.state.get(COMPANY_STATE_KEY)
    if not isinstance(company_id, UUID):
        raise RuntimeError("no company: the route is not behind require_org")
    return TenantActor(user_id=principal_of(connection).user_id, company_id=company_id)


USER = [require_user]
USER_IN_ORG = [require_user, require_org]
