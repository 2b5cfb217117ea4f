"""The one caller-identity pipeline: header → cache → key source → verified claims, for every role."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from kisum.adapters.http.auth.bearer import BearerAuthenticator
from kisum.adapters.security.access_tokens import AccessTokenSigner, AccessTokenVerifier, SigningKey
from kisum.adapters.security.identity import TokenAuthenticator
from kisum.adapters.security.signing_keys import KeyRing, KeyRingKeySource
from kisum.domain.errors import NotAuthenticated

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ISSUER, AUDIENCE = "kisum-auth", "kisum"


class StaticKeys:
    """A key source whose keys a test changes; counts lookups (misses of the token cache)."""

    def __init__(self, keys: dict[str, rsa.RSAPublicKey]) -> None:
        self.keys = keys
        self.generation = 0
        self.lookups = 0

    def replace(self, keys: dict[str, rsa.RSAPublicKey]) -> None:
        self.keys = keys
        self.generation += 1

    async def key_for(self, kid: str) -> rsa.RSAPublicKey | None:
        self.lookups += 1
        return self.keys.get(kid)


def _token(kid: str = "k1", key: rsa.RSAPrivateKey = KEY, ttl: int = 900) -> str:
    signer = AccessTokenSigner(
        SigningKey(kid, key), algorithm="PS256", issuer=ISSUER, audience=AUDIENCE, ttl_seconds=ttl
    )
    return signer.sign(user_id=uuid.uuid4(), session_id=uuid.uuid4(), token_version=1, now=datetime.now(UTC))


def _identity(keys: StaticKeys, *, cache_size: int = 10) -> TokenAuthenticator:
    verifier = AccessTokenVerifier(algorithm="PS256", issuer=ISSUER, audience=AUDIENCE)
    return TokenAuthenticator(keys, verifier, cache_size=cache_size)


async def test_a_header_becomes_claims_and_the_second_time_no_key_is_looked_up() -> None:
    keys = StaticKeys({"k1": KEY.public_key()})
    identity = _identity(keys)
    token = _token()
    first = await identity.claims_of(f"Bearer {token}")
    second = await identity.claims_of(f"bearer  {token} ")
    assert first == second
    assert keys.lookups == 1


@pytest.mark.parametrize("header", [None, "", "Bearer", "Basic abc", "Bearer a b", "Token x"])
async def test_a_missing_or_malformed_header_is_401(header: str | None) -> None:
    with pytest.raises(NotAuthenticated) as raised:
        await _identity(StaticKeys({})).claims_of(header)
    assert raised.value.code == "UNAUTHENTICATED"


async def test_an_unknown_kid_is_401_and_never_remembered() -> None:
    keys = StaticKeys({"k1": KEY.public_key()})
    identity = _identity(keys)
    token = _token(kid="k9")
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            await identity.authenticate(token)
    assert keys.lookups == 2
    assert identity.cached_tokens == 0


async def test_a_key_set_change_forgets_what_the_old_keys_verified() -> None:
    keys = StaticKeys({"k1": KEY.public_key()})
    identity = _identity(keys)
    token = _token()
    await identity.authenticate(token)
    keys.replace({"k2": OTHER.public_key()})  # k1 removed (a compromised key taken out)
    with pytest.raises(NotAuthenticated):
        await identity.authenticate(token)


async def test_whatever_a_hostile_token_makes_the_parser_do_is_401(monkeypatch: pytest.MonkeyPatch) -> None:
    identity = _identity(StaticKeys({"k1": KEY.public_key()}))

    def explode(token: str) -> object:
        raise RecursionError("deeply nested")

    monkeypatch.setattr(AccessTokenVerifier, "inspect", lambda self, token: explode(token))
    with pytest.raises(NotAuthenticated) as raised:
        await identity.authenticate(_token())
    assert raised.value.code == "UNAUTHENTICATED"


async def test_an_expired_token_is_401_and_the_cache_stays_bounded() -> None:
    keys = StaticKeys({"k1": KEY.public_key()})
    identity = _identity(keys, cache_size=3)
    with pytest.raises(NotAuthenticated):
        await identity.authenticate(_token(ttl=-3600))
    for _ in range(5):
        await identity.authenticate(_token())
    assert identity.cached_tokens == 3


async def test_auths_key_ring_is_a_key_source_whose_generation_follows_its_keys() -> None:
    pinned = SigningKey("pinned", KEY)
    ring = KeyRing(None, pinned=pinned)
    source = KeyRingKeySource(ring, lambda: datetime.now(UTC))
    assert await source.key_for("pinned") == KEY.public_key()
    assert await source.key_for("other") is None
    assert ring.verification_key("pinned", datetime.now(UTC) + timedelta(days=3650)) == KEY.public_key()
    assert source.generation == ring.generation


class _Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


async def test_auths_bearer_runs_the_same_pipeline_over_its_own_ring() -> None:
    ring = KeyRing(None, pinned=SigningKey("pinned", KEY))
    verifier = AccessTokenVerifier(algorithm="PS256", issuer=ISSUER, audience=AUDIENCE)
    bearer = BearerAuthenticator(ring, verifier, uow_factory=lambda: None, clock=_Clock())  # type: ignore[arg-type, return-value]
    claims = await bearer.verify_token(f"Bearer {_token(kid='pinned')}")
    assert claims.token_version == 1
    for refused in (None, f"Bearer {_token(kid='k1')}", "Bearer a.b.c"):
        with pytest.raises(NotAuthenticated):
            await bearer.verify_token(refused)
