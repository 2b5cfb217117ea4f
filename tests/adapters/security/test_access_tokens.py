"""Access tokens: what auth signs verifies; every forgery or malformation is a 401, never a 500."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from kisum.adapters.security.access_tokens import (
    AccessClaims,
    AccessTokenSigner,
    AccessTokenVerifier,
    SigningKey,
    keys_from_jwks,
    public_jwk,
)
from kisum.domain.errors import NotAuthenticated

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
SIGNING_KEY = SigningKey(kid="k1", private_key=KEY)
ISSUER, AUDIENCE = "kisum-auth", "kisum"


def _signer(algorithm: str = "PS256", ttl: int = 900, key: SigningKey = SIGNING_KEY) -> AccessTokenSigner:
    return AccessTokenSigner(key, algorithm=algorithm, issuer=ISSUER, audience=AUDIENCE, ttl_seconds=ttl)


def _verifier(algorithm: str = "PS256") -> AccessTokenVerifier:
    return AccessTokenVerifier(algorithm=algorithm, issuer=ISSUER, audience=AUDIENCE)


def _verify(token: str, key: rsa.RSAPublicKey, algorithm: str = "PS256") -> AccessClaims:
    verifier = _verifier(algorithm)
    return verifier.verify(verifier.inspect(token), key)


def _token(**overrides: object) -> str:
    return _signer().sign(user_id=uuid.uuid4(), session_id=uuid.uuid4(), token_version=3, now=datetime.now(UTC))


def _claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(uuid.uuid4()),
        "sid": str(uuid.uuid4()),
        "tv": 1,
        "iat": now,
        "exp": now + 600,
        "jti": "j",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _forge(claims: dict[str, object], *, key: object = KEY, algorithm: str = "PS256", **header: object) -> str:
    headers = {"kid": "k1", "typ": "at+jwt", **header}
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)  # type: ignore[arg-type]


def _rejects(token: str) -> None:
    with pytest.raises(NotAuthenticated) as raised:
        _verify(token, KEY.public_key())
    assert raised.value.code == "UNAUTHENTICATED"


def test_signed_token_verifies_with_its_claims() -> None:
    user_id, session_id = uuid.uuid4(), uuid.uuid4()
    token = _signer().sign(user_id=user_id, session_id=session_id, token_version=7, now=datetime.now(UTC))
    claims = _verify(token, KEY.public_key())
    assert (claims.user_id, claims.session_id, claims.token_version) == (user_id, session_id, 7)
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "PS256", "kid": "k1", "typ": "at+jwt"}


def test_rs256_is_selectable_for_legacy_verifiers() -> None:
    token = _signer("RS256").sign(user_id=uuid.uuid4(), session_id=uuid.uuid4(), token_version=0, now=datetime.now(UTC))
    assert _verify(token, KEY.public_key(), "RS256").token_version == 0
    with pytest.raises(NotAuthenticated):
        _verify(token, KEY.public_key(), "PS256")


def test_token_has_no_company_or_permissions() -> None:
    payload = jwt.decode(_token(), options={"verify_signature": False})
    assert set(payload) == {"iss", "aud", "sub", "sid", "tv", "iat", "exp", "jti"}


def test_alg_none_is_rejected() -> None:
    _rejects(jwt.encode(_claims(), None, algorithm="none", headers={"kid": "k1", "typ": "at+jwt"}))


def test_hs256_keyed_with_the_public_key_is_rejected() -> None:
    public_pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = base64.urlsafe_b64encode(json.dumps({"alg": "HS256", "kid": "k1", "typ": "at+jwt"}).encode())
    body = base64.urlsafe_b64encode(json.dumps(_claims()).encode())
    import hashlib
    import hmac

    signing_input = header.rstrip(b"=") + b"." + body.rstrip(b"=")
    signature = base64.urlsafe_b64encode(hmac.new(public_pem, signing_input, hashlib.sha256).digest()).rstrip(b"=")
    _rejects((signing_input + b"." + signature).decode())


def test_edited_payload_is_rejected() -> None:
    header, _, signature = _token().split(".")
    edited = base64.urlsafe_b64encode(json.dumps(_claims(sub=str(uuid.uuid4()))).encode()).rstrip(b"=").decode()
    _rejects(f"{header}.{edited}.{signature}")


def test_token_signed_by_another_key_is_rejected() -> None:
    _rejects(_forge(_claims(), key=OTHER_KEY))


@pytest.mark.parametrize(
    "claims",
    [
        _claims(aud="someone-else"),
        _claims(iss="evil-auth"),
        _claims(exp=int(time.time()) - 3600),
        _claims(exp=None),
        _claims(iat=None),
        _claims(sub=None),
        _claims(aud=None),
        _claims(iss=None),
        _claims(sub="not-a-uuid"),
        _claims(tv="1"),
    ],
    ids=["wrong-aud", "wrong-iss", "expired", "no-exp", "no-iat", "no-sub", "no-aud", "no-iss", "bad-sub", "bad-tv"],
)
def test_bad_claims_are_rejected(claims: dict[str, object]) -> None:
    _rejects(_forge(claims))


def test_wrong_typ_is_rejected() -> None:
    _rejects(_forge(_claims(), typ="JWT"))


def test_key_material_in_the_header_is_rejected() -> None:
    jwk = public_jwk("k1", OTHER_KEY.public_key(), "PS256")
    _rejects(_forge(_claims(), key=OTHER_KEY, jwk=jwk))
    _rejects(_forge(_claims(), jku="http://127.0.0.1:1/jwks.json"))


def test_expired_token_is_rejected_after_leeway() -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    token = _signer(ttl=60).sign(user_id=uuid.uuid4(), session_id=uuid.uuid4(), token_version=0, now=past)
    _rejects(token)


def test_oversized_token_is_rejected_before_parsing() -> None:
    _rejects("a" * 5000 + "." + "b" * 5000 + ".c")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_garbage_of_any_shape_is_a_401_never_a_crash(garbage: str) -> None:
    with pytest.raises(NotAuthenticated):
        _verify(garbage, KEY.public_key())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.binary(max_size=60), min_size=3, max_size=3))
def test_three_segments_of_random_bytes_are_a_401(parts: list[bytes]) -> None:
    token = ".".join(base64.urlsafe_b64encode(p).rstrip(b"=").decode() for p in parts)
    with pytest.raises(NotAuthenticated):
        _verify(token, KEY.public_key())


def test_jwks_round_trip_has_public_members_only() -> None:
    jwk = public_jwk("k1", KEY.public_key(), "PS256")
    assert set(jwk) == {"kty", "kid", "use", "alg", "n", "e"}
    keys = keys_from_jwks({"keys": [jwk]}, algorithm="PS256")
    token = _token()
    assert _verify(token, keys["k1"]).token_version == 3


def test_jwks_skips_weak_foreign_and_malformed_keys() -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - weak on purpose
    document = {
        "keys": [
            public_jwk("weak", weak.public_key(), "PS256"),
            {**public_jwk("rs", KEY.public_key(), "RS256")},
            {"kty": "EC", "kid": "ec", "crv": "P-256", "x": "x", "y": "y"},
            {"kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"},
            "not-a-dict",
        ]
    }
    assert keys_from_jwks(document, algorithm="PS256") == {}


def test_signer_refuses_weak_keys() -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - weak on purpose
    with pytest.raises(ValueError, match="2048"):
        _signer(key=SigningKey("w", weak))
