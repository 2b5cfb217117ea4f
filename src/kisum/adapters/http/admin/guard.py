"""Who may use the admin API: a user of auth whose access token is valid AND who is a platform admin.

1. The bearer token is verified by the one caller-identity pipeline
   (``kisum.adapters.security.identity.TokenAuthenticator``, keys from auth's JWKS: pinned
   algorithm, ``exp iat iss aud sub``, ``typ``, verified tokens cached); anything unreadable → 401.
2. Auth is asked (service token, ``GET /internal/users/{sub}?sessionId&tokenVersion``) whether
   the session behind the token is still live and the user a platform admin. Answers are kept
   briefly (``STATUS_CACHE_SECONDS``) in a bounded LRU, one call per key at a time; a revoked
   session or a lost admin flag is therefore seen within that time. Auth unreachable → 503
   (never "probably an admin").

No token or an invalid or revoked one → 401 ``UNAUTHENTICATED``; a valid user who is not a
platform admin → 403 ``PLATFORM_ADMIN_REQUIRED``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Final
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from kisum.adapters.cache.local import ExpiringLru
from kisum.adapters.clients.auth_client import AuthClient
from kisum.adapters.security.access_tokens import AccessClaims
from kisum.adapters.security.identity import TokenAuthenticator
from kisum.application.single_flight import SingleFlight
from kisum.domain.auth.errors import PlatformAdminRequired
from kisum.domain.errors import NotAuthenticated, NotFound

STATUS_CACHE_SECONDS: Final = 5.0
STATUS_CACHE_SIZE: Final = 10_000
ADMIN_STATE_KEY: Final = "kisum_platform_admin"


@dataclass(frozen=True, slots=True)
class AdminStatus:
    session_active: bool
    is_platform_admin: bool


@dataclass(frozen=True, slots=True)
class PlatformAdmin:
    user_id: UUID
    session_id: UUID


StatusKey = tuple[UUID, UUID, int]


class PlatformAdminCheck:
    """One per process: verifies tokens and remembers auth's answers briefly."""

    def __init__(
        self,
        tokens: TokenAuthenticator,
        auth: AuthClient,
        *,
        cache_seconds: float = STATUS_CACHE_SECONDS,
        cache_size: int = STATUS_CACHE_SIZE,
    ) -> None:
        self._tokens = tokens
        self._auth = auth
        self._cache_seconds = cache_seconds
        self._cache: ExpiringLru[StatusKey, AdminStatus] = ExpiringLru(cache_size)
        self._flight: SingleFlight[StatusKey, AdminStatus] = SingleFlight()

    async def check(self, authorization: str | None) -> PlatformAdmin:
        claims = await self._tokens.claims_of(authorization)
        status = await self._status(claims)
        if not status.session_active:
            raise NotAuthenticated("The access token is no longer valid.", code="UNAUTHENTICATED")
        if not status.is_platform_admin:
            raise PlatformAdminRequired()
        return PlatformAdmin(user_id=claims.user_id, session_id=claims.session_id)

    async def _status(self, claims: AccessClaims) -> AdminStatus:
        key: StatusKey = (claims.user_id, claims.session_id, claims.token_version)
        cached = self._cache.get(key, time.monotonic())
        if cached is not None:
            return cached

        async def ask_auth() -> AdminStatus:
            try:
                user = await self._auth.get_user(
                    claims.user_id, session_id=claims.session_id, token_version=claims.token_version
                )
                status = AdminStatus(session_active=bool(user.session_active), is_platform_admin=user.is_platform_admin)
            except NotFound:
                status = AdminStatus(session_active=False, is_platform_admin=False)
            self._cache.put(key, status, time.monotonic() + self._cache_seconds)
            return status

        return await self._flight.run(key, ask_auth)


async def require_platform_admin(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard of every admin route (``@inject`` does not work on guards: ask the container)."""
    check = await connection.state.dishka_container.get(PlatformAdminCheck)
    connection.state[ADMIN_STATE_KEY] = await check.check(connection.headers.get("authorization"))
