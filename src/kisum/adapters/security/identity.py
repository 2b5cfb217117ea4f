"""Who is calling: the one caller-identity pipeline of auth, admin and the business backends.

``Authorization: Bearer <token>`` → verified ``AccessClaims``, in this order, each failing closed:

1. the header: a bearer token, else 401 ``UNAUTHENTICATED`` (``require_bearer_token``);
2. the verified-token cache: a token verified before is served from a bounded LRU (the whole
   token string, until its ``exp``); a failure is never remembered, and the cache is emptied
   whenever the key source's ``generation`` changes (a key added, rotated out or removed);
3. the token itself (``AccessTokenVerifier``): header checks before any key is looked up (pinned
   algorithm, ``typ at+jwt``, no key material in the header, a ``kid``), the key from the
   *key source* by ``kid``, then signature and ``exp iat iss aud sub sid tv jti``. Whatever a
   hostile token makes a parser do (deep nesting, odd encodings) is 401, never 500.

The key source is the one collaborator that differs:

- auth reads its own ring (``signing_keys.KeyRingKeySource``: in memory, no I/O);
- admin and the business backends read auth's JWKS (``JwksKeySource`` below: fetched with
  httpx, kept in memory, refreshed on expiry or on an unknown ``kid`` at most once per
  ``min_refresh_seconds``, concurrent misses sharing one fetch, so a flood of made-up kids costs
  auth nothing).

What each caller does with the claims is its own: auth checks the session and token version,
admin asks auth whether the user is a platform admin, the business kit resolves ``x-org`` and
the access model. The hit path (a token seen before) is one dictionary lookup and no I/O.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, Final, Protocol

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from kisum.adapters.cache.local import ExpiringLru
from kisum.adapters.security.access_tokens import AccessClaims, AccessTokenVerifier, invalid_token, keys_from_jwks
from kisum.adapters.security.service_tokens import bearer_token
from kisum.application.single_flight import SingleFlight
from kisum.domain.errors import DomainError, NotAuthenticated, Unavailable

logger = logging.getLogger("kisum.identity")

JWKS_PATH: Final = "/.well-known/jwks.json"
KEYS_UNAVAILABLE: Final = "ACCESS_UNAVAILABLE"


def require_bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header, else 401."""
    token = bearer_token(authorization)
    if token is None:
        raise NotAuthenticated("A bearer token is required.", code="UNAUTHENTICATED")
    return token


class KeySource(Protocol):
    """Public keys that verify access tokens, by ``kid``."""

    @property
    def generation(self) -> int:
        """Changes whenever the key set changes, so what older keys verified is forgotten."""
        ...

    async def key_for(self, kid: str) -> rsa.RSAPublicKey | None:
        """The key named ``kid``, or None (an unknown kid is a 401); ``Unavailable`` if no keys yet."""
        ...


class TokenAuthenticator:
    """Bearer token → verified claims, with a bounded cache of tokens already verified (until ``exp``).

    One per process. ``now`` is the wall clock in POSIX seconds (auth passes its ``Clock``).
    """

    def __init__(
        self,
        keys: KeySource,
        verifier: AccessTokenVerifier,
        *,
        cache_size: int,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._keys = keys
        self._verifier = verifier
        self._now = now
        self._cache: ExpiringLru[str, AccessClaims] = ExpiringLru(cache_size)
        self._generation = keys.generation

    async def claims_of(self, authorization: str | None) -> AccessClaims:
        """Steps 1-3 from the raw ``Authorization`` header."""
        return await self.authenticate(require_bearer_token(authorization))

    async def authenticate(self, token: str) -> AccessClaims:
        """Steps 2-3 for a token already taken from its header (the business kit's hot path)."""
        if self._generation != self._keys.generation:
            self._cache.clear()
            self._generation = self._keys.generation
        now = self._now()
        claims = self._cache.get(token, now)
        if claims is not None:
            return claims
        claims = await self._verify(token)
        if claims.expires_at > now:
            self._cache.put(token, claims, float(claims.expires_at))
        return claims

    async def _verify(self, token: str) -> AccessClaims:
        try:
            unverified = self._verifier.inspect(token)
            key = await self._keys.key_for(unverified.kid)
            if key is None:
                raise invalid_token()
            return self._verifier.verify(unverified, key)
        except DomainError:
            raise
        except Exception:
            # Whatever a hostile token makes a parser do (deep nesting, odd encodings): 401.
            logger.info("unreadable access token refused", exc_info=True)
            raise invalid_token() from None

    @property
    def cached_tokens(self) -> int:
        return len(self._cache)


class JwksKeySource:
    """Auth's public keys from its JWKS, by ``kid``: refreshed on expiry or on an unknown kid,
    never more often than allowed; concurrent refreshes share one fetch."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        url: str,
        algorithm: str,
        cache_seconds: float,
        min_refresh_seconds: float,
        timeout_seconds: float,
    ) -> None:
        self._client = client
        self._url = url
        self._algorithm = algorithm
        self._cache_seconds = cache_seconds
        self._min_refresh_seconds = min_refresh_seconds
        self._timeout_seconds = timeout_seconds
        self._keys: dict[str, rsa.RSAPublicKey] = {}
        self._loaded_at: float | None = None
        self._last_attempt: float | None = None
        self._flight: SingleFlight[str, bool] = SingleFlight()
        self.fetches = 0
        self.generation = 0
        """Bumped whenever the key set changes, so token caches can drop what older keys verified."""

    async def key_for(self, kid: str) -> rsa.RSAPublicKey | None:
        now = time.monotonic()
        key = self._keys.get(kid)
        fresh = self._loaded_at is not None and now - self._loaded_at < self._cache_seconds
        if key is not None and fresh:
            return key
        if self._refresh_allowed(now):
            await self._refresh()
        elif self._loaded_at is None:
            raise Unavailable(
                "The signing keys of auth are not available yet.", retry_after_seconds=2, code=KEYS_UNAVAILABLE
            )
        return self._keys.get(kid)

    def _refresh_allowed(self, now: float) -> bool:
        if self._flight.in_flight():
            return True  # join the fetch already under way
        return self._last_attempt is None or now - self._last_attempt >= self._min_refresh_seconds

    async def _refresh(self) -> None:
        loaded = await self._flight.run("jwks", self._fetch)
        if not loaded and self._loaded_at is None:
            raise Unavailable(
                "The signing keys of auth are not available.", retry_after_seconds=2, code=KEYS_UNAVAILABLE
            )

    async def _fetch(self) -> bool:
        """True when a key set was loaded; on failure the keys we had stay in use."""
        self._last_attempt = time.monotonic()
        self.fetches += 1
        try:
            async with asyncio.timeout(self._timeout_seconds):
                response = await self._client.get(self._url, headers={"accept": "application/json"})
            if response.status_code != 200:
                raise ValueError(f"JWKS answered {response.status_code}")
            document: Any = response.json()
            if not isinstance(document, dict):
                raise ValueError("JWKS is not an object")
        except (httpx.HTTPError, TimeoutError, ValueError) as error:
            logger.warning("JWKS fetch failed: %r", error, extra={"url": self._url})
            return False
        keys = keys_from_jwks(document, algorithm=self._algorithm)
        if keys.keys() != self._keys.keys() or any(
            keys[kid].public_numbers() != self._keys[kid].public_numbers() for kid in keys
        ):
            self.generation += 1
        self._keys = keys
        self._loaded_at = time.monotonic()
        return True


__all__ = [
    "JWKS_PATH",
    "JwksKeySource",
    "KeySource",
    "TokenAuthenticator",
    "require_bearer_token",
]
