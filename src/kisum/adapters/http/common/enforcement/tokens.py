"""Step 1 of enforcement: the bearer token, verified with auth's JWKS.

Keys come from ``GET {auth}/.well-known/jwks.json`` over the kit's pooled httpx client and are
kept in memory. An unknown ``kid`` triggers a refresh, but at most one per
``jwks_min_refresh_seconds`` and concurrent misses share that one fetch, so a flood of made-up
kids costs auth nothing. Verified tokens are remembered (whole token string, until ``exp``) in a
bounded LRU; a failure is never remembered.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from kisum.adapters.cache.local import ExpiringLru
from kisum.adapters.security.access_tokens import AccessClaims, AccessTokenVerifier, invalid_token, keys_from_jwks
from kisum.adapters.security.service_tokens import bearer_token
from kisum.application.single_flight import SingleFlight
from kisum.domain.errors import NotAuthenticated, Unavailable

logger = logging.getLogger("kisum.enforcement")

JWKS_PATH = "/.well-known/jwks.json"
KEYS_UNAVAILABLE = "ACCESS_UNAVAILABLE"


class JwksKeySource:
    """Public keys by ``kid``, refreshed on expiry or on an unknown kid, never more often than allowed."""

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


class TokenAuthenticator:
    """Bearer token → verified claims, with an LRU of tokens already verified (until their ``exp``)."""

    def __init__(self, keys: JwksKeySource, verifier: AccessTokenVerifier, *, cache_size: int) -> None:
        self._keys = keys
        self._verifier = verifier
        self._cache: ExpiringLru[str, AccessClaims] = ExpiringLru(cache_size)
        self._generation = keys.generation

    async def authenticate(self, token: str) -> AccessClaims:
        if self._generation != self._keys.generation:
            self._cache.clear()
            self._generation = self._keys.generation
        now = time.time()
        claims = self._cache.get(token, now)
        if claims is not None:
            return claims
        unverified = self._verifier.inspect(token)
        key = await self._keys.key_for(unverified.kid)
        if key is None:
            raise invalid_token()
        claims = self._verifier.verify(unverified, key)
        if claims.expires_at > now:
            self._cache.put(token, claims, float(claims.expires_at))
        return claims

    @property
    def cached_tokens(self) -> int:
        return len(self._cache)


def require_bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header, else 401."""
    token = bearer_token(authorization)
    if token is None:
        raise NotAuthenticated("A bearer token is required.", code="UNAUTHENTICATED")
    return token
