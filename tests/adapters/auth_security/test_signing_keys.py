"""The signing key ring against the real PostgreSQL (auth's migration), and the SQLite CLI path."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.persistence.auth.signing_keys import SqlSigningKeyStore, StoredSigningKey
from kisum.adapters.persistence.database import create_engine, create_session_factory
from kisum.adapters.security.access_tokens import LEEWAY_SECONDS, AccessTokenVerifier, keys_from_jwks
from kisum.adapters.security.signing_keys import (
    KeyRing,
    SigningKeyError,
    generate_private_key,
    jwk_thumbprint,
    private_key_to_pem,
)
from kisum.adapters.security.token_issuer import KeyRingAccessTokenIssuer
from kisum.config import Role, Settings
from kisum.keys_cli import describe_rotation, rotate_keys
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
TTL = 900
JWKS_CACHE = 300
RELOAD = 10.0


def ring_on(engine: AsyncEngine, **options: object) -> KeyRing:
    defaults: dict[str, object] = {
        "access_token_ttl_seconds": TTL,
        "jwks_cache_seconds": JWKS_CACHE,
        "reload_interval_seconds": RELOAD,
        "key_bits": 2048,
    }
    defaults.update(options)
    return KeyRing(SqlSigningKeyStore(create_session_factory(engine)), **defaults)  # type: ignore[arg-type]


async def stored_rows(engine: AsyncEngine) -> list[tuple[str, int, str]]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT kid, generation, private_key_pem FROM signing_keys ORDER BY generation")
        )
        return [(row[0], row[1], row[2]) for row in rows]


async def test_first_start_generates_one_signing_key(engine_for: EngineForRole) -> None:
    engine = await engine_for("auth")
    ring = ring_on(engine, key_bits=3072)
    started = time.perf_counter()
    await ring.ensure_key(T0)
    print(f"\nfirst start with RSA-3072 key generation: {time.perf_counter() - started:.3f}s")

    rows = await stored_rows(engine)
    assert len(rows) == 1
    key = ring.signing_key(T0)
    assert key.kid == rows[0][0]
    assert key.private_key.key_size == 3072
    assert "BEGIN PRIVATE KEY" in rows[0][2]  # no passphrase configured: plain PKCS#8


async def test_concurrent_first_start_yields_one_key(engine_for: EngineForRole) -> None:
    engine = await engine_for("auth")
    replicas = [ring_on(engine) for _ in range(5)]

    await asyncio.gather(*(ring.ensure_key(T0) for ring in replicas))

    rows = await stored_rows(engine)
    assert len(rows) == 1
    assert {ring.signing_key(T0).kid for ring in replicas} == {rows[0][0]}


async def test_insert_race_loser_sees_unique_violation_and_writes_nothing(engine_for: EngineForRole) -> None:
    engine = await engine_for("auth")
    store = SqlSigningKeyStore(create_session_factory(engine))

    def candidate() -> StoredSigningKey:
        private_key = generate_private_key(2048)
        return StoredSigningKey(
            kid=jwk_thumbprint(private_key.public_key()),
            generation=1,
            private_key_pem=private_key_to_pem(private_key, None),
            created_at=T0,
            activates_at=T0,
            retires_at=None,
        )

    winner, loser = candidate(), candidate()
    assert await store.insert(winner) is True
    assert await store.insert(loser) is False
    assert [row[0] for row in await stored_rows(engine)] == [winner.kid]


async def test_rotation_publishes_at_once_signs_later_and_prunes_after_the_token_ttl(
    engine_for: EngineForRole,
) -> None:
    engine = await engine_for("auth")
    ring = ring_on(engine)
    other_replica = ring_on(engine)
    await ring.ensure_key(T0)
    await other_replica.ensure_key(T0)
    old_kid = ring.signing_key(T0).kid

    result = await ring.rotate(T0)
    new_kid = result.new_key.kid
    assert result.created
    assert new_kid != old_kid

    # Published at once, on this replica and on every other one after its reload.
    await other_replica.reload(T0)
    for replica in (ring, other_replica):
        assert set(replica.verification_keys(T0)) == {old_kid, new_kid}
        assert {entry["kid"] for entry in replica.jwks_document(T0)["keys"]} == {old_kid, new_kid}

    # Signing switches only after the JWKS cache time (plus one reload interval).
    switch = T0 + timedelta(seconds=JWKS_CACHE + RELOAD)
    assert result.new_key.activates_at == switch
    for replica in (ring, other_replica):
        assert replica.signing_key(T0).kid == old_kid
        assert replica.signing_key(switch - timedelta(seconds=1)).kid == old_kid
        assert replica.signing_key(switch).kid == new_kid

    # The old key keeps verifying until every token it signed has expired, then it is pruned.
    last_token_expiry = switch + timedelta(seconds=TTL + LEEWAY_SECONDS)
    assert old_kid in ring.verification_keys(last_token_expiry - timedelta(seconds=1))
    assert old_kid not in ring.verification_keys(last_token_expiry)
    await ring.reload(last_token_expiry)
    assert [row[0] for row in await stored_rows(engine)] == [new_kid]
    assert set(ring.verification_keys(last_token_expiry)) == {new_kid}


async def test_rotating_while_a_rotation_is_pending_returns_the_pending_key(engine_for: EngineForRole) -> None:
    engine = await engine_for("auth")
    ring = ring_on(engine)
    first = await ring.rotate(T0)
    again = await ring.rotate(T0 + timedelta(seconds=5))

    assert first.created
    assert not again.created
    assert again.new_key.kid == first.new_key.kid
    assert len(await stored_rows(engine)) == 2
    assert "published" in describe_rotation(first)
    assert "already pending" in describe_rotation(again)


async def test_private_keys_are_encrypted_at_rest_with_a_passphrase(engine_for: EngineForRole) -> None:
    engine = await engine_for("auth")
    ring = ring_on(engine, passphrase="correct horse battery staple")
    await ring.ensure_key(T0)

    (_, _, pem), *_ = await stored_rows(engine)
    assert pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")

    with pytest.raises(SigningKeyError, match="KISUM_SIGNING_KEY_PASSPHRASE"):
        await ring_on(engine).reload(T0)
    with pytest.raises(SigningKeyError, match="wrong"):
        await ring_on(engine, passphrase="not the passphrase").reload(T0)
    same = ring_on(engine, passphrase="correct horse battery staple")
    await same.reload(T0)
    assert same.signing_key(T0).kid == ring.signing_key(T0).kid


async def test_jwks_holds_public_members_only(engine_for: EngineForRole) -> None:
    engine = await engine_for("auth")
    ring = ring_on(engine)
    await ring.rotate(T0)

    document = ring.jwks_document(T0)
    assert len(document["keys"]) == 2
    for entry in document["keys"]:
        assert set(entry) == {"kty", "kid", "use", "alg", "n", "e"}
        assert entry["alg"] == "PS256"
    assert set(keys_from_jwks(document, algorithm="PS256")) == set(ring.verification_keys(T0))


async def test_issued_tokens_verify_with_the_published_keys(engine_for: EngineForRole) -> None:
    engine = await engine_for("auth")
    ring = ring_on(engine)
    await ring.ensure_key(T0)
    settings = Settings(access_token_ttl_seconds=TTL)
    issuer = KeyRingAccessTokenIssuer.from_settings(ring, settings)
    verifier = AccessTokenVerifier(algorithm="PS256", issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    user_id, session_id = uuid4(), uuid4()
    now = datetime.now(UTC)

    issued = issuer.issue(user_id=user_id, session_id=session_id, token_version=3, now=now)

    assert issued.expires_in == TTL
    public_keys = keys_from_jwks(ring.jwks_document(now), algorithm="PS256")
    unverified = verifier.inspect(issued.token)
    claims = verifier.verify(unverified, public_keys[unverified.kid])
    assert (claims.user_id, claims.session_id, claims.token_version) == (user_id, session_id, 3)
    assert unverified.kid == ring.signing_key(now).kid


async def test_background_reload_picks_up_a_rotation_from_another_replica(engine_for: EngineForRole) -> None:
    engine = await engine_for("auth")
    ring = ring_on(engine, reload_interval_seconds=0.05)
    other = ring_on(engine)
    await ring.start()
    try:
        result = await other.rotate(datetime.now(UTC))
        deadline = time.monotonic() + 5
        while result.new_key.kid not in ring.verification_keys(datetime.now(UTC)):
            assert time.monotonic() < deadline, "the background reload never saw the new key"
            await asyncio.sleep(0.02)
    finally:
        await ring.stop()


def test_pinned_key_file_is_used_and_cannot_be_rotated(tmp_path: Path) -> None:
    private_key = generate_private_key(2048)
    path = tmp_path / "signing.pem"
    path.write_text(private_key_to_pem(private_key, "pass-phrase"))
    settings = Settings(jwt_private_key_file=path, signing_key_passphrase="pass-phrase")

    ring = KeyRing.from_settings(settings, None)

    assert ring.pinned
    assert ring.signing_key(T0).kid == jwk_thumbprint(private_key.public_key())
    assert list(ring.verification_keys(T0)) == [ring.signing_key(T0).kid]
    with pytest.raises(SigningKeyError, match="pinned"):
        asyncio.run(ring.rotate(T0))
    with pytest.raises(SigningKeyError, match="pinned"):
        asyncio.run(rotate_keys(settings))


def test_weak_pinned_key_is_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - the point of the test
    path = tmp_path / "weak.pem"
    path.write_text(private_key_to_pem(weak, None))
    with pytest.raises(SigningKeyError, match="2048"):
        KeyRing.from_settings(Settings(jwt_private_key_file=path), None)


async def test_keys_rotate_upgrades_an_embedded_sqlite_auth_database(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, signing_key_bits=2048)

    first = await rotate_keys(settings, now=T0)
    second = await rotate_keys(settings, now=T0 + timedelta(seconds=1))

    assert first.created
    assert not second.created
    assert len(first.keys) == 2  # the generated first key and the published new one
    engine = create_engine(settings.database_url_of(Role.AUTH), "auth")
    try:
        async with engine.connect() as connection:
            count = (await connection.execute(text("SELECT count(*) FROM signing_keys"))).scalar_one()
        assert count == 2
    finally:
        await engine.dispose()
