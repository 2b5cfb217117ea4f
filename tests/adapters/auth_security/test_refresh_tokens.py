"""Refresh tokens: 256 random bits, stored only as a SHA-256 digest."""

from __future__ import annotations

import base64
import hashlib

from kisum.adapters.security.refresh_tokens import Sha256RefreshTokenFactory

factory = Sha256RefreshTokenFactory()


def test_tokens_carry_at_least_256_bits_and_never_repeat() -> None:
    tokens = [factory.new().token for _ in range(2000)]

    assert len(set(tokens)) == len(tokens)
    for token in tokens[:50]:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) >= 32


def test_only_the_sha256_digest_is_handed_out_for_storage() -> None:
    token, token_hash = factory.new()

    assert token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert len(token_hash) == 64
    assert token not in token_hash
    assert factory.hash(token) == token_hash  # deterministic: one indexed lookup finds the session


def test_matches_compares_in_constant_time_and_rejects_others() -> None:
    token, token_hash = factory.new()
    other, _ = factory.new()

    assert factory.matches(token, token_hash)
    assert not factory.matches(other, token_hash)


def test_hostile_input_hashes_without_raising() -> None:
    assert len(factory.hash("\ud800")) == 64  # a lone surrogate from JSON
    long_one = "a" * 1_000_000
    assert factory.hash(long_one) != factory.hash("a" * 256)
