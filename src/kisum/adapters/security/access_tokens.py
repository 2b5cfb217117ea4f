"""User access tokens: RSA-signed JWTs (PS256 by default, RS256 by config), RFC 9068 ``at+jwt``.

Signing happens only in auth; every other role verifies with keys from auth's JWKS. The verifier
pins the algorithm, requires ``exp iat iss aud sub``, checks ``aud`` and ``typ``, never takes key
material from the header, and turns any malformed or oversized token into one 401 error.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final
from uuid import UUID

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from kisum.domain.errors import NotAuthenticated

ACCESS_TOKEN_TYPE: Final = "at+jwt"  # noqa: S105 - a JWT "typ", not a secret
SUPPORTED_ALGORITHMS: Final = ("PS256", "RS256")
MAX_TOKEN_BYTES: Final = 8192
MIN_RSA_BITS: Final = 2048
LEEWAY_SECONDS: Final = 30
REQUIRED_CLAIMS: Final = ("exp", "iat", "iss", "aud", "sub", "sid", "tv", "jti")
_HEADER_KEY_MATERIAL: Final = frozenset({"jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256"})


def invalid_token(detail: str = "The access token is invalid.") -> NotAuthenticated:
    return NotAuthenticated(detail, code="UNAUTHENTICATED")


@dataclass(frozen=True, slots=True)
class AccessClaims:
    """What a verified access token says: who, which session, which token version."""

    user_id: UUID
    session_id: UUID
    token_version: int
    issued_at: int
    expires_at: int
    token_id: str


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()


class AccessTokenSigner:
    def __init__(self, key: SigningKey, *, algorithm: str, issuer: str, audience: str, ttl_seconds: int) -> None:
        if algorithm not in SUPPORTED_ALGORITHMS:
            raise ValueError(f"unsupported access-token algorithm {algorithm}")
        if key.private_key.key_size < MIN_RSA_BITS:
            raise ValueError("access-token keys must have at least 2048 bits")
        self.key = key
        self.algorithm = algorithm
        self.issuer = issuer
        self.audience = audience
        self.ttl_seconds = ttl_seconds

    def sign(self, *, user_id: UUID, session_id: UUID, token_version: int, now: datetime) -> str:
        issued_at = int(now.timestamp())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": str(user_id),
            "sid": str(session_id),
            "tv": token_version,
            "iat": issued_at,
            "exp": issued_at + self.ttl_seconds,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(
            claims,
            self.key.private_key,
            algorithm=self.algorithm,
            headers={"kid": self.key.kid, "typ": ACCESS_TOKEN_TYPE},
        )


@dataclass(frozen=True, slots=True)
class UnverifiedToken:
    """A token whose header passed the checks; only its ``kid`` may be used yet, to pick the key."""

    token: str
    kid: str


def read_header(token: str, *, algorithm: str) -> dict[str, Any]:
    """Check the header before any key is looked up; returns it (its ``kid`` picks the key)."""
    if not token or len(token) > MAX_TOKEN_BYTES or token.count(".") != 2:
        raise invalid_token()
    try:
        header = jwt.get_unverified_header(token)
    except (jwt.PyJWTError, ValueError, TypeError, UnicodeDecodeError):
        raise invalid_token() from None
    if header.get("alg") != algorithm:
        raise invalid_token()
    if str(header.get("typ", "")).lower() not in (ACCESS_TOKEN_TYPE, "application/at+jwt"):
        raise invalid_token()
    if _HEADER_KEY_MATERIAL & header.keys():
        raise invalid_token()
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid or len(kid) > 128:
        raise invalid_token()
    return header


class AccessTokenVerifier:
    """Verifies signature and claims with a key the caller resolved from the header's ``kid``."""

    def __init__(self, *, algorithm: str, issuer: str, audience: str, leeway_seconds: int = LEEWAY_SECONDS) -> None:
        if algorithm not in SUPPORTED_ALGORITHMS:
            raise ValueError(f"unsupported access-token algorithm {algorithm}")
        self.algorithm = algorithm
        self.issuer = issuer
        self.audience = audience
        self.leeway = timedelta(seconds=leeway_seconds)

    def inspect(self, token: str) -> UnverifiedToken:
        """Step 1, before any key lookup: the header checks, once; ``verify`` takes only their result."""
        return UnverifiedToken(token, str(read_header(token, algorithm=self.algorithm)["kid"]))

    def verify(self, unverified: UnverifiedToken, public_key: rsa.RSAPublicKey) -> AccessClaims:
        """Step 2: signature and claims, with the key the caller resolved from ``unverified.kid``."""
        try:
            claims = jwt.decode(
                unverified.token,
                public_key,
                algorithms=[self.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": list(REQUIRED_CLAIMS), "strict_aud": True},
            )
        except jwt.ExpiredSignatureError:
            raise invalid_token("The access token has expired.") from None
        except (jwt.PyJWTError, ValueError, TypeError):
            raise invalid_token() from None
        return _claims_of(claims)


def _claims_of(claims: Mapping[str, Any]) -> AccessClaims:
    try:
        token_version = claims["tv"]
        if not isinstance(token_version, int) or isinstance(token_version, bool):
            raise TypeError("tv")
        return AccessClaims(
            user_id=UUID(str(claims["sub"])),
            session_id=UUID(str(claims["sid"])),
            token_version=token_version,
            issued_at=int(claims["iat"]),
            expires_at=int(claims["exp"]),
            token_id=str(claims["jti"]),
        )
    except (KeyError, ValueError, TypeError):
        raise invalid_token() from None


# --- JWKS -------------------------------------------------------------------------------------


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _uint_b64url(text: str) -> int:
    padded = text + "=" * (-len(text) % 4)
    return int.from_bytes(base64.urlsafe_b64decode(padded), "big")


def public_jwk(kid: str, public_key: rsa.RSAPublicKey, algorithm: str) -> dict[str, str]:
    """The public members only: ``kty n e`` plus ``kid alg use``."""
    numbers = public_key.public_numbers()
    return {
        "kty": "RSA",
        "kid": kid,
        "use": "sig",
        "alg": algorithm,
        "n": _b64url_uint(numbers.n),
        "e": _b64url_uint(numbers.e),
    }


def keys_from_jwks(document: Mapping[str, Any], *, algorithm: str) -> dict[str, rsa.RSAPublicKey]:
    """Public RSA keys by ``kid``; entries of another type, algorithm or a weak size are skipped."""
    keys: dict[str, rsa.RSAPublicKey] = {}
    entries = document.get("keys")
    if not isinstance(entries, list):
        return keys
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kty") != "RSA" or entry.get("use", "sig") != "sig":
            continue
        if entry.get("alg", algorithm) != algorithm:
            continue
        kid, n, e = entry.get("kid"), entry.get("n"), entry.get("e")
        if not (isinstance(kid, str) and isinstance(n, str) and isinstance(e, str)):
            continue
        try:
            public_key = rsa.RSAPublicNumbers(_uint_b64url(e), _uint_b64url(n)).public_key()
        except (ValueError, TypeError):
            continue
        if public_key.key_size >= MIN_RSA_BITS:
            keys[kid] = public_key
    return keys
