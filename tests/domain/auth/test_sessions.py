from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from kisum.domain.auth.errors import InvalidRefreshToken, RefreshTokenReused
from kisum.domain.auth.sessions import RevocationReason, Session, SessionPolicy, clean_ip, clean_user_agent
from tests.domain.auth.builders import NOW

POLICY = SessionPolicy(absolute_lifetime=timedelta(days=30))


def new_session(token_hash: str = "h0") -> Session:  # noqa: S107 - a fake hash
    return Session.start(
        session_id=uuid4(),
        user_id=uuid4(),
        refresh_token_hash=token_hash,
        now=NOW,
        policy=POLICY,
        user_agent="Mozilla/5.0",
        ip="203.0.113.7",
    )


def test_a_new_session_is_live_until_its_absolute_lifetime() -> None:
    s = new_session()
    assert s.is_live(NOW)
    assert s.expires_at == NOW + timedelta(days=30)
    assert s.is_live(NOW + timedelta(days=30) - timedelta(seconds=1))
    assert not s.is_live(NOW + timedelta(days=30))


def test_rotation_swaps_the_current_hash_and_remembers_the_old_one() -> None:
    s = new_session("h0")
    s.rotate(presented_hash="h0", new_hash="h1", now=NOW + timedelta(minutes=5))
    s.rotate(presented_hash="h1", new_hash="h2", now=NOW + timedelta(minutes=10))
    assert s.refresh_token_hash == "h2"
    assert s.previous_token_hashes == {"h0", "h1"}
    assert s.last_used_at == NOW + timedelta(minutes=10)
    assert s.expires_at == NOW + timedelta(days=30)  # refreshing never extends the session


def test_reusing_a_rotated_token_revokes_the_whole_session() -> None:
    s = new_session("h0")
    s.rotate(presented_hash="h0", new_hash="h1", now=NOW)
    with pytest.raises(RefreshTokenReused) as caught:
        s.rotate(presented_hash="h0", new_hash="h2", now=NOW + timedelta(minutes=1))
    assert caught.value.code == "REFRESH_TOKEN_REUSED"
    assert s.is_revoked
    assert s.revoked_reason is RevocationReason.REFRESH_TOKEN_REUSED
    # the legitimate holder's current token is dead too
    with pytest.raises(InvalidRefreshToken):
        s.rotate(presented_hash="h1", new_hash="h3", now=NOW + timedelta(minutes=2))


def test_reuse_is_reported_even_on_a_revoked_session() -> None:
    s = new_session("h0")
    s.rotate(presented_hash="h0", new_hash="h1", now=NOW)
    s.revoke(NOW, RevocationReason.LOGOUT)
    with pytest.raises(RefreshTokenReused):
        s.rotate(presented_hash="h0", new_hash="h2", now=NOW)
    assert s.revoked_reason is RevocationReason.LOGOUT  # the first reason is kept


def test_an_unknown_hash_is_invalid_and_changes_nothing() -> None:
    s = new_session("h0")
    with pytest.raises(InvalidRefreshToken) as caught:
        s.rotate(presented_hash="nope", new_hash="h1", now=NOW)
    assert caught.value.code == "INVALID_REFRESH_TOKEN"
    assert (s.refresh_token_hash, s.previous_token_hashes, s.is_revoked) == ("h0", frozenset(), False)


def test_an_expired_session_cannot_be_refreshed() -> None:
    s = new_session("h0")
    with pytest.raises(InvalidRefreshToken):
        s.rotate(presented_hash="h0", new_hash="h1", now=NOW + timedelta(days=31))
    assert s.refresh_token_hash == "h0"


def test_a_revoked_session_cannot_be_refreshed() -> None:
    s = new_session("h0")
    assert s.revoke(NOW, RevocationReason.LOGOUT)
    assert not s.revoke(NOW, RevocationReason.LOGOUT_ALL)
    with pytest.raises(InvalidRefreshToken):
        s.rotate(presented_hash="h0", new_hash="h1", now=NOW)
    assert not s.is_live(NOW)


def test_the_new_hash_must_be_fresh() -> None:
    s = new_session("h0")
    s.rotate(presented_hash="h0", new_hash="h1", now=NOW)
    with pytest.raises(ValueError, match="fresh"):
        s.rotate(presented_hash="h1", new_hash="h0", now=NOW)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        Session.start(
            session_id=uuid4(),
            user_id=uuid4(),
            refresh_token_hash="h",
            now=NOW.replace(tzinfo=None),
            policy=POLICY,
            user_agent=None,
            ip=None,
        )


def test_device_info_is_cleaned() -> None:
    assert clean_user_agent("Agent\x00/1\n" + "x" * 1000) == ("Agent/1" + "x" * 1000)[:512]
    assert clean_user_agent("   ") is None
    assert clean_ip(" 2001:DB8::1 ") == "2001:db8::1"
    assert clean_ip("not an ip\x07") == "not an ip"
    assert clean_ip(None) is None


def test_the_policy_refuses_a_non_positive_lifetime() -> None:
    with pytest.raises(ValueError, match="positive"):
        SessionPolicy(absolute_lifetime=timedelta(0))
