"""Service-to-service authentication: each role signs short-lived Ed25519 JWTs for the role it calls.

A token says ``iss = sub = calling role``, ``aud = target role``, lives at most 60 s and has its
own ``typ``, so a user's access token is never a service credential and vice versa. The target
trusts a configured set of caller public keys and an allow-list of caller roles per endpoint.

Embedded mode (``kisum dev``, several ``kisum serve`` sharing ``KISUM_DATA_DIR``): each role
generates its key pair under ``<data_dir>/keys/service/`` on first start, and a role finds a
caller's public key there when it first needs it, whatever order the processes started in.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any, Final

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from dishka import Provider, Scope, provide
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.types import Guard

from kisum.config import Role, Settings
from kisum.domain.errors import Forbidden, NotAuthenticated

SERVICE_TOKEN_TYPE: Final = "svc+jwt"  # noqa: S105 - a JWT "typ", not a secret
SERVICE_ALGORITHM: Final = "EdDSA"
MAX_SERVICE_TTL_SECONDS: Final = 60
MAX_TOKEN_BYTES: Final = 4096
CALLER_STATE_KEY: Final = "service_caller"


def _unauthenticated(detail: str = "A valid service credential is required.") -> NotAuthenticated:
    return NotAuthenticated(detail, code="SERVICE_UNAUTHENTICATED")


# --- key material -----------------------------------------------------------------------------


def _load_pem(value: str) -> bytes:
    """A PEM given inline, or the path of a PEM file."""
    if "-----BEGIN" in value:
        return value.encode()
    return Path(value).read_bytes()


def _write_exclusively(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` atomically; if another process won the race, keep theirs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
    temporary.write_bytes(data)
    os.chmod(temporary, mode)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)


class ServiceKeyStore:
    """Where a role's own private key and its callers' public keys come from."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._directory = settings.data_dir / "keys" / "service"
        self._public_keys: dict[Role, Ed25519PublicKey] = {}

    def private_key(self, role: Role) -> Ed25519PrivateKey:
        configured = self._settings.role_service_private_keys.get(role)
        if configured:
            key = serialization.load_pem_private_key(_load_pem(configured), password=None)
        else:
            path = self._directory / f"{role.value}.pem"
            if not path.exists():
                generated = Ed25519PrivateKey.generate()
                _write_exclusively(
                    path,
                    generated.private_bytes(
                        serialization.Encoding.PEM,
                        serialization.PrivateFormat.PKCS8,
                        serialization.NoEncryption(),
                    ),
                    0o600,
                )
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            public_path = self._directory / f"{role.value}.pub"
            if not public_path.exists():
                _write_exclusively(
                    public_path,
                    key.public_key().public_bytes(
                        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                    ),
                    0o644,
                )
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"the service key of {role.value} must be Ed25519")
        return key

    def public_key(self, role: Role) -> Ed25519PublicKey | None:
        """A caller's public key; looked up again while missing, cached once found."""
        if role in self._public_keys:
            return self._public_keys[role]
        configured = self._settings.role_service_public_keys.get(role)
        if configured:
            pem = _load_pem(configured)
        else:
            path = self._directory / f"{role.value}.pub"
            if not path.exists():
                return None
            pem = path.read_bytes()
        key = serialization.load_pem_public_key(pem)
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"the service public key of {role.value} must be Ed25519")
        self._public_keys[role] = key
        return key


# --- minting and verifying --------------------------------------------------------------------


class ServiceTokenIssuer:
    """Mints tokens for one calling role; reuses a token until half its life has passed."""

    def __init__(self, role: Role, private_key: Ed25519PrivateKey, ttl_seconds: int = 30) -> None:
        self.role = role
        self._private_key = private_key
        self._ttl = max(1, min(ttl_seconds, MAX_SERVICE_TTL_SECONDS))
        self._cache: dict[Role, tuple[str, float]] = {}

    def token_for(self, audience: Role) -> str:
        now = time.time()
        cached = self._cache.get(audience)
        if cached and cached[1] - now > self._ttl / 2:
            return cached[0]
        issued_at = int(now)
        token = jwt.encode(
            {
                "iss": self.role.value,
                "sub": self.role.value,
                "aud": audience.value,
                "iat": issued_at,
                "exp": issued_at + self._ttl,
                "jti": uuid.uuid4().hex,
            },
            self._private_key,
            algorithm=SERVICE_ALGORITHM,
            headers={"typ": SERVICE_TOKEN_TYPE},
        )
        self._cache[audience] = (token, issued_at + self._ttl)
        return token


class ServiceTokenVerifier:
    """Verifies tokens addressed to one role; the key is chosen by the claimed caller role."""

    def __init__(
        self,
        audience: Role,
        public_key_of: Callable[[Role], Ed25519PublicKey | None],
        *,
        leeway_seconds: int = 5,
    ) -> None:
        self.audience = audience
        self._public_key_of = public_key_of
        self._leeway = leeway_seconds

    def verify(self, token: str | None) -> Role:
        if not token or len(token) > MAX_TOKEN_BYTES or token.count(".") != 2:
            raise _unauthenticated()
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except (jwt.PyJWTError, ValueError, TypeError, UnicodeDecodeError):
            raise _unauthenticated() from None
        if header.get("alg") != SERVICE_ALGORITHM or header.get("typ") != SERVICE_TOKEN_TYPE:
            raise _unauthenticated()
        try:
            caller = Role(str(unverified.get("iss")))
        except ValueError:
            raise _unauthenticated() from None
        public_key = self._public_key_of(caller)
        if public_key is None:
            raise _unauthenticated(f"No key is trusted for the {caller.value} role.")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                public_key,
                algorithms=[SERVICE_ALGORITHM],
                audience=self.audience.value,
                issuer=caller.value,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "iss", "sub", "aud"], "strict_aud": True},
            )
        except jwt.ExpiredSignatureError:
            raise _unauthenticated("The service credential has expired.") from None
        except (jwt.PyJWTError, ValueError, TypeError):
            raise _unauthenticated() from None
        if claims["sub"] != caller.value or int(claims["exp"]) - int(claims["iat"]) > MAX_SERVICE_TTL_SECONDS:
            raise _unauthenticated()
        return caller


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None (the one parser of that header)."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    token = value.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        return None
    return token


def require_service(*callers: Role) -> Guard:
    """Guard: a valid service token addressed to this role, from one of ``callers``."""
    allowed = frozenset(callers)

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        verifier: ServiceTokenVerifier = await connection.state.dishka_container.get(ServiceTokenVerifier)
        caller = verifier.verify(bearer_token(connection.headers.get("authorization")))
        if caller not in allowed:
            raise Forbidden(
                f"The {caller.value} role may not call this endpoint.",
                code="SERVICE_NOT_ALLOWED",
            )
        connection.state[CALLER_STATE_KEY] = caller

    return guard


class ServiceAuth(httpx.Auth):
    """httpx auth flow that sends a fresh service token for the target role."""

    def __init__(self, issuer: ServiceTokenIssuer, audience: Role) -> None:
        self._issuer = issuer
        self._audience = audience

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._issuer.token_for(self._audience)}"
        yield request


class ServiceCredentialsProvider(Provider):
    """The role's issuer (to call others) and verifier (to be called), one per process."""

    scope = Scope.APP

    def __init__(self, role: Role) -> None:
        super().__init__()
        self.role = role

    @provide
    def key_store(self, settings: Settings) -> ServiceKeyStore:
        return ServiceKeyStore(settings)

    @provide
    def issuer(self, settings: Settings, keys: ServiceKeyStore) -> ServiceTokenIssuer:
        return ServiceTokenIssuer(self.role, keys.private_key(self.role), settings.service_token_ttl_seconds)

    @provide
    def verifier(self, keys: ServiceKeyStore) -> ServiceTokenVerifier:
        return ServiceTokenVerifier(self.role, keys.public_key)
