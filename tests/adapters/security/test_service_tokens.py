"""Service tokens: short-lived Ed25519 JWTs, audience-bound, from trusted caller roles only."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kisum.adapters.security.access_tokens import AccessTokenSigner, SigningKey
from kisum.adapters.security.service_tokens import (
    ServiceAuth,
    ServiceKeyStore,
    ServiceTokenIssuer,
    ServiceTokenVerifier,
    bearer_token,
)
from kisum.config import Role, Settings
from kisum.domain.errors import NotAuthenticated

ADMIN_KEY = Ed25519PrivateKey.generate()
AUTH_KEY = Ed25519PrivateKey.generate()


def _verifier(audience: Role = Role.CORE) -> ServiceTokenVerifier:
    keys = {Role.ADMIN: ADMIN_KEY.public_key(), Role.AUTH: AUTH_KEY.public_key()}
    return ServiceTokenVerifier(audience, keys.get)


def _rejects(token: str | None, audience: Role = Role.CORE) -> None:
    with pytest.raises(NotAuthenticated) as raised:
        _verifier(audience).verify(token)
    assert raised.value.code == "SERVICE_UNAUTHENTICATED"


def test_token_from_a_trusted_role_names_the_caller() -> None:
    token = ServiceTokenIssuer(Role.ADMIN, ADMIN_KEY).token_for(Role.CORE)
    assert _verifier().verify(token) == Role.ADMIN


def test_token_lives_at_most_sixty_seconds() -> None:
    token = ServiceTokenIssuer(Role.ADMIN, ADMIN_KEY, ttl_seconds=3600).token_for(Role.CORE)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] <= 60
    assert claims["iss"] == claims["sub"] == "admin"
    assert claims["aud"] == "core"


def test_wrong_audience_is_rejected() -> None:
    _rejects(ServiceTokenIssuer(Role.ADMIN, ADMIN_KEY).token_for(Role.AUTH), audience=Role.CORE)


def test_missing_and_garbage_tokens_are_rejected() -> None:
    _rejects(None)
    _rejects("")
    _rejects("not.a.token")
    _rejects("x" * 5000)


def test_expired_token_is_rejected() -> None:
    now = int(time.time())
    token = jwt.encode(
        {"iss": "admin", "sub": "admin", "aud": "core", "iat": now - 120, "exp": now - 60},
        ADMIN_KEY,
        algorithm="EdDSA",
        headers={"typ": "svc+jwt"},
    )
    _rejects(token)


def test_token_claiming_another_role_is_rejected() -> None:
    # Signed with the admin key but claiming to be auth: the auth key does not verify it.
    now = int(time.time())
    token = jwt.encode(
        {"iss": "auth", "sub": "auth", "aud": "core", "iat": now, "exp": now + 30},
        ADMIN_KEY,
        algorithm="EdDSA",
        headers={"typ": "svc+jwt"},
    )
    _rejects(token)


def test_untrusted_role_is_rejected() -> None:
    stranger = Ed25519PrivateKey.generate()
    _rejects(ServiceTokenIssuer(Role.BASIC, stranger).token_for(Role.CORE))


def test_long_lived_hand_made_token_is_rejected() -> None:
    now = int(time.time())
    token = jwt.encode(
        {"iss": "admin", "sub": "admin", "aud": "core", "iat": now, "exp": now + 3600},
        ADMIN_KEY,
        algorithm="EdDSA",
        headers={"typ": "svc+jwt"},
    )
    _rejects(token)


def test_user_access_token_is_never_a_service_credential() -> None:
    user_key = SigningKey("k1", rsa.generate_private_key(public_exponent=65537, key_size=2048))
    signer = AccessTokenSigner(user_key, algorithm="PS256", issuer="kisum-auth", audience="core", ttl_seconds=60)
    _rejects(signer.sign(user_id=uuid.uuid4(), session_id=uuid.uuid4(), token_version=0, now=datetime.now(UTC)))


def test_issuer_reuses_a_fresh_token() -> None:
    issuer = ServiceTokenIssuer(Role.ADMIN, ADMIN_KEY)
    assert issuer.token_for(Role.CORE) == issuer.token_for(Role.CORE)
    assert issuer.token_for(Role.CORE) != issuer.token_for(Role.AUTH)


def test_bearer_token_parsing() -> None:
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer  abc ") == "abc"
    assert bearer_token("Basic abc") is None
    assert bearer_token("Bearer ") is None
    assert bearer_token("Bearer two tokens") is None
    assert bearer_token(None) is None


async def test_httpx_auth_sends_a_token_for_the_target() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        return httpx.Response(204)

    auth = ServiceAuth(ServiceTokenIssuer(Role.ADMIN, ADMIN_KEY), Role.CORE)
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler), auth=auth) as client:
        await client.get("http://core.test/internal/catalog/modules")
    assert _verifier().verify(bearer_token(seen[0])) == Role.ADMIN


def test_embedded_keys_are_generated_once_and_found_by_other_roles(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    admin_store, core_store = ServiceKeyStore(settings), ServiceKeyStore(settings)
    assert core_store.public_key(Role.ADMIN) is None  # admin has not started yet
    admin_key = admin_store.private_key(Role.ADMIN)
    assert admin_store.private_key(Role.ADMIN).private_bytes_raw() == admin_key.private_bytes_raw()
    token = ServiceTokenIssuer(Role.ADMIN, admin_key).token_for(Role.CORE)
    assert ServiceTokenVerifier(Role.CORE, core_store.public_key).verify(token) == Role.ADMIN
    assert (tmp_path / "keys" / "service" / "admin.pem").stat().st_mode & 0o077 == 0


def test_configured_keys_take_precedence(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    pem = ADMIN_KEY.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        ADMIN_KEY.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    settings = Settings(
        data_dir=tmp_path,
        role_service_private_keys={Role.ADMIN: pem},
        role_service_public_keys={Role.ADMIN: public_pem},
    )
    store = ServiceKeyStore(settings)
    token = ServiceTokenIssuer(Role.ADMIN, store.private_key(Role.ADMIN)).token_for(Role.CORE)
    assert ServiceTokenVerifier(Role.CORE, store.public_key).verify(token) == Role.ADMIN
    assert not (tmp_path / "keys").exists()
