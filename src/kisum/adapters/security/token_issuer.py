"""The ``AccessTokenIssuer`` port on top of ``AccessTokenSigner`` and the key ring."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from kisum.adapters.security.access_tokens import AccessTokenSigner
from kisum.adapters.security.signing_keys import KeyRing
from kisum.application.auth.ports import IssuedAccessToken
from kisum.config import Settings


class KeyRingAccessTokenIssuer:
    """Signs with whichever key the ring says signs at ``now`` (one signer cached per key)."""

    def __init__(self, ring: KeyRing, *, algorithm: str, issuer: str, audience: str, ttl_seconds: int) -> None:
        if ttl_seconds < 1:
            raise ValueError("access tokens need a positive lifetime")
        self._ring = ring
        self._algorithm = algorithm
        self._issuer = issuer
        self._audience = audience
        self._ttl_seconds = ttl_seconds
        self._signers: dict[str, AccessTokenSigner] = {}

    @classmethod
    def from_settings(cls, ring: KeyRing, settings: Settings) -> KeyRingAccessTokenIssuer:
        return cls(
            ring,
            algorithm=settings.jwt_algorithm,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            ttl_seconds=settings.access_token_ttl_seconds,
        )

    def issue(self, *, user_id: UUID, session_id: UUID, token_version: int, now: datetime) -> IssuedAccessToken:
        key = self._ring.signing_key(now)
        signer = self._signers.get(key.kid)
        if signer is None or signer.key is not key:
            signer = AccessTokenSigner(
                key,
                algorithm=self._algorithm,
                issuer=self._issuer,
                audience=self._audience,
                ttl_seconds=self._ttl_seconds,
            )
            # Only the few keys of the ring are ever cached; drop those it no longer holds.
            self._signers = {kid: s for kid, s in self._signers.items() if kid in self._ring.verification_keys(now)}
            self._signers[key.kid] = signer
        token = signer.sign(user_id=user_id, session_id=session_id, token_version=token_version, now=now)
        return IssuedAccessToken(token=token, expires_in=self._ttl_seconds)
