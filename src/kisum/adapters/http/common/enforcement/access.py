"""Step 3 of enforcement: the caller's effective access in the ``x-org`` company, asked of auth.

``GET {auth}/auth/me/access`` with the caller's ``Authorization`` and ``x-org`` (and our
``x-request-id``), over one pooled httpx client with a hard deadline. Auth's 401 is our 401, its
403 is ``NOT_A_MEMBER``; anything else that is not a well-formed 200 (timeout, refused
connection, 5xx, garbage) is 503 ``ACCESS_UNAVAILABLE`` — never temporary access.

Answers are reused for ``access_cache_seconds`` (≤ 1 s, so a revocation reaches every backend
within a second) and never past their ``validUntil``; concurrent misses for the same session
and company share one call.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from uuid import UUID

import httpx
import msgspec

from kisum.adapters.cache.local import ExpiringLru
from kisum.adapters.contracts.access import AccessOut as AccessAnswer
from kisum.adapters.request_context import current_request_id
from kisum.adapters.security.access_tokens import AccessClaims
from kisum.application.single_flight import SingleFlight
from kisum.domain.errors import Forbidden, NotAuthenticated, Unavailable

logger = logging.getLogger("kisum.enforcement")

RETRY_AFTER_SECONDS = 2


@dataclass(frozen=True, slots=True)
class AccessContext:
    """Who is calling, in which company, with what: what a business handler may rely on."""

    user_id: UUID
    session_id: UUID
    company_id: UUID
    membership_id: UUID
    role: str
    modules: frozenset[str]
    permissions: frozenset[str]
    can_manage_members: bool
    entitlement_version: int
    access_version: str
    valid_until: float | None
    """POSIX seconds after which this answer must not be used, or None."""


def _context_of(answer: AccessAnswer, claims: AccessClaims) -> AccessContext:
    return AccessContext(
        user_id=answer.user_id,
        session_id=claims.session_id,
        company_id=answer.company_id,
        membership_id=answer.membership_id,
        role=answer.role,
        modules=frozenset(answer.modules),
        permissions=frozenset(answer.permissions),
        can_manage_members=answer.delegation.can_manage_members,
        entitlement_version=answer.entitlement_version,
        access_version=answer.access_version,
        valid_until=answer.valid_until.timestamp() if answer.valid_until is not None else None,
    )


def _unavailable(detail: str) -> Unavailable:
    return Unavailable(detail, retry_after_seconds=RETRY_AFTER_SECONDS, code="ACCESS_UNAVAILABLE")


class AuthAccessClient:
    """The one call to auth; every failure mode becomes 401, 403 or 503."""

    def __init__(self, client: httpx.AsyncClient, *, url: str, timeout_seconds: float) -> None:
        self._client = client
        self._url = url
        self._timeout_seconds = timeout_seconds
        self._decoder = msgspec.json.Decoder(AccessAnswer)

    async def fetch(self, authorization: str, company_id: UUID, claims: AccessClaims) -> AccessContext:
        headers = {"authorization": authorization, "x-org": str(company_id), "accept": "application/json"}
        request_id = current_request_id()
        if request_id:
            headers["x-request-id"] = request_id
        try:
            async with asyncio.timeout(self._timeout_seconds):
                response = await self._client.get(self._url, headers=headers)
        except (httpx.HTTPError, TimeoutError, OSError) as error:
            logger.warning("auth access call failed: %r", error)
            raise _unavailable("Effective access could not be resolved: auth is unreachable.") from None
        status = response.status_code
        if status == 401:
            raise NotAuthenticated("Auth rejected the access token.", code="UNAUTHENTICATED")
        if status == 403:
            raise Forbidden("You are not a member of this company.", code="NOT_A_MEMBER")
        if status != 200:
            logger.warning("auth access call answered %s", status)
            raise _unavailable(f"Effective access could not be resolved: auth answered {status}.")
        try:
            answer = self._decoder.decode(response.content)
        except msgspec.DecodeError:
            logger.warning("auth access answer is malformed")
            raise _unavailable("Effective access could not be resolved: malformed answer.") from None
        if answer.company_id != company_id or answer.user_id != claims.user_id:
            logger.warning("auth access answer is for another user or company")
            raise _unavailable("Effective access could not be resolved: inconsistent answer.")
        return _context_of(answer, claims)


AccessKey = tuple[UUID, UUID, int, UUID]
"""(user, session, token version, company): one answer per session and company."""


AccessLookup = tuple[AccessContext, bool]
"""The context and whether it came from the cache (a plain tuple: this is on every request)."""


class AccessResolver:
    """Effective access with a short, bounded, single-flight cache in front of auth."""

    def __init__(self, client: AuthAccessClient, *, cache_seconds: float, cache_size: int) -> None:
        if not 0 <= cache_seconds <= 1.0:
            raise ValueError("access_cache_seconds must be between 0 and 1 so revocations apply within 1 s")
        self._client = client
        self._cache_seconds = cache_seconds
        self._cache: ExpiringLru[AccessKey, AccessContext] = ExpiringLru(cache_size)
        self._flight: SingleFlight[AccessKey, AccessContext] = SingleFlight()

    async def resolve(self, token: str, company_id: UUID, claims: AccessClaims) -> AccessLookup:
        """The caller's access in ``company_id`` (``token`` is the bearer token ``claims`` came from)."""
        key: AccessKey = (claims.user_id, claims.session_id, claims.token_version, company_id)
        context = self._cache.get(key, time.monotonic())
        if context is not None:
            return context, True

        async def call() -> AccessContext:
            fresh = await self._client.fetch(f"Bearer {token}", company_id, claims)
            self._remember(key, fresh)
            return fresh

        return await self._flight.run(key, call), False

    def _remember(self, key: AccessKey, context: AccessContext) -> None:
        if self._cache_seconds <= 0:
            return
        now_monotonic, now_wall = time.monotonic(), time.time()
        lifetime = self._cache_seconds
        if context.valid_until is not None:
            lifetime = min(lifetime, context.valid_until - now_wall)
        if lifetime > 0:
            self._cache.put(key, context, now_monotonic + lifetime)
