from __future__ import annotations

import pytest

from kisum.application.auth.commands import Login, Logout, LogoutAll, Refresh, RevokeOwnSession
from kisum.application.auth.queries import AuthenticateAccessToken
from kisum.application.auth.session_handlers import (
    AuthenticateAccessTokenHandler,
    LoginHandler,
    LogoutAllHandler,
    LogoutHandler,
    RefreshHandler,
    RevokeOwnSessionHandler,
)
from kisum.application.auth.views import TokenPair
from kisum.domain.auth.errors import InvalidCredentials, InvalidRefreshToken, RefreshTokenReused, SessionNotFound
from kisum.domain.auth.identity import User
from kisum.domain.auth.sessions import RevocationReason
from kisum.domain.errors import NotAuthenticated, RateLimited
from tests.application.auth.conftest import PASSWORD, World

IP = "198.51.100.4"


def login_handler(w: World) -> LoginHandler:
    return LoginHandler(w.uow, w.hasher, w.throttle, w.access_tokens, w.refresh_tokens, w.clock, w.ids, w.settings)


def refresh_handler(w: World) -> RefreshHandler:
    return RefreshHandler(w.uow, w.access_tokens, w.refresh_tokens, w.clock)


async def login(w: World, email: str = "alice@example.com", password: str = PASSWORD) -> TokenPair:
    return await login_handler(w)(Login(email=email, password=password, user_agent="UA/1", ip=IP))


async def failed_login(w: World, email: str, password: str) -> InvalidCredentials:
    with pytest.raises(InvalidCredentials) as caught:
        await login(w, email, password)
    return caught.value


# -- login ------------------------------------------------------------------------------------


async def test_login_creates_a_session_and_returns_tokens(world: World) -> None:
    alice = world.user("alice@example.com")
    pair = await login(world, "  Alice@Example.com ")
    session = world.uow.state.sessions[pair.session_id]
    assert world.uow.commits == 1
    assert pair.user.id == alice.id
    assert pair.user.email == "alice@example.com"
    assert pair.token_type == "Bearer"
    assert pair.expires_in == 900
    assert pair.access_token == f"at:{alice.id}:{session.id}:1"
    assert session.user_id == alice.id
    assert session.refresh_token_hash == world.refresh_tokens.hash(pair.refresh_token)
    assert pair.refresh_token not in (session.refresh_token_hash, *session.previous_token_hashes)
    assert (session.user_agent, session.ip) == ("UA/1", IP)
    assert session.expires_at == world.clock.now() + world.settings.session_policy.absolute_lifetime
    assert (world.throttle.checks, world.throttle.successes, world.throttle.failures) == (1, 1, 0)


async def test_unknown_email_and_wrong_password_are_indistinguishable(world: World) -> None:
    world.user("alice@example.com")
    unknown = await failed_login(world, "nobody@example.com", PASSWORD)
    wrong = await failed_login(world, "alice@example.com", "wrong password!")
    assert (unknown.code, unknown.detail, type(unknown)) == (wrong.code, wrong.detail, type(wrong))
    assert unknown.code == "INVALID_CREDENTIALS"
    assert world.hasher.dummy_verified == [PASSWORD]  # the unknown user still cost one hash
    assert world.hasher.verified == ["wrong password!"]
    assert world.uow.commits == 0
    assert world.uow.state.sessions == {}
    assert world.throttle.failures == 2


async def test_a_suspended_user_gets_invalid_credentials_even_with_the_right_password(world: World) -> None:
    alice = world.user("alice@example.com")
    alice.suspend()
    error = await failed_login(world, "alice@example.com", PASSWORD)
    assert error.code == "INVALID_CREDENTIALS"
    assert world.hasher.verified == [PASSWORD]
    assert world.uow.commits == 0


async def test_an_account_without_a_password_cannot_log_in(world: World) -> None:
    world.user("invited@example.com", password=None)
    await failed_login(world, "invited@example.com", "None")
    assert world.hasher.dummy_verified == ["None"]


async def test_a_malformed_email_is_just_invalid_credentials(world: World) -> None:
    await failed_login(world, "not an email", PASSWORD)
    assert world.hasher.dummy_verified == [PASSWORD]


async def test_an_overlong_password_is_refused_at_the_cost_of_one_dummy_hash(world: World) -> None:
    world.user("alice@example.com")
    await failed_login(world, "alice@example.com", "x" * 10_000)
    assert world.hasher.verified == []
    assert world.hasher.dummy_verified == ["x" * 128]


async def test_login_rehashes_an_outdated_hash(world: World) -> None:
    alice = world.user("alice@example.com", hash_version=1)
    await login(world)
    assert world.stored_user(alice.id).password_hash == f"v2${PASSWORD}"
    assert world.uow.commits == 1
    assert ("user", alice.id) in world.uow.locks


async def test_login_is_throttled_after_five_failures_of_the_pair(world: World) -> None:
    world.user("alice@example.com")
    for _ in range(5):
        await failed_login(world, "alice@example.com", "bad-password")
    verified_before = len(world.hasher.verified)
    with pytest.raises(RateLimited) as caught:
        await login(world)
    assert caught.value.retry_after_seconds == 30
    assert len(world.hasher.verified) == verified_before  # no hash spent while throttled
    world.clock.advance(seconds=30)
    await login(world)  # the right password after the wait
    assert world.throttle.pairs == {}  # a success resets the pair


async def test_the_throttle_counts_unknown_accounts_too(world: World) -> None:
    for _ in range(5):
        await failed_login(world, "ghost@example.com", "bad-password")
    with pytest.raises(RateLimited):
        await login(world, "GHOST@example.com", "bad-password")


# -- refresh ----------------------------------------------------------------------------------


async def test_refresh_rotates_the_refresh_token(world: World) -> None:
    world.user("alice@example.com")
    first = await login(world)
    world.clock.advance(minutes=10)
    second = await refresh_handler(world)(Refresh(refresh_token=first.refresh_token))
    assert second.session_id == first.session_id
    assert second.refresh_token != first.refresh_token
    session = world.uow.state.sessions[first.session_id]
    assert session.refresh_token_hash == world.refresh_tokens.hash(second.refresh_token)
    assert world.refresh_tokens.hash(first.refresh_token) in session.previous_token_hashes
    assert session.last_used_at == world.clock.now()
    assert world.uow.commits == 2


async def test_reusing_a_rotated_refresh_token_revokes_the_session(world: World) -> None:
    world.user("alice@example.com")
    first = await login(world)
    second = await refresh_handler(world)(Refresh(refresh_token=first.refresh_token))
    with pytest.raises(RefreshTokenReused) as caught:
        await refresh_handler(world)(Refresh(refresh_token=first.refresh_token))
    assert caught.value.code == "REFRESH_TOKEN_REUSED"
    session = world.uow.state.sessions[first.session_id]
    assert session.revoked_reason is RevocationReason.REFRESH_TOKEN_REUSED
    assert world.uow.commits == 3  # login, refresh, and the revocation
    with pytest.raises(InvalidRefreshToken):
        await refresh_handler(world)(Refresh(refresh_token=second.refresh_token))


@pytest.mark.parametrize("token", ["", "unknown-token", "x" * 5000])
async def test_an_unknown_refresh_token_is_invalid(world: World, token: str) -> None:
    with pytest.raises(InvalidRefreshToken) as caught:
        await refresh_handler(world)(Refresh(refresh_token=token))
    assert caught.value.code == "INVALID_REFRESH_TOKEN"
    assert world.uow.commits == 0


async def test_a_session_past_its_absolute_lifetime_cannot_be_refreshed(world: World) -> None:
    world.user("alice@example.com")
    pair = await login(world)
    world.clock.advance(days=31)
    with pytest.raises(InvalidRefreshToken):
        await refresh_handler(world)(Refresh(refresh_token=pair.refresh_token))
    assert world.uow.commits == 1


async def test_a_suspended_user_cannot_refresh(world: World) -> None:
    alice = world.user("alice@example.com")
    pair = await login(world)
    world.stored_user(alice.id).suspend()
    with pytest.raises(InvalidRefreshToken):
        await refresh_handler(world)(Refresh(refresh_token=pair.refresh_token))
    assert world.uow.commits == 1


# -- logout, logout-all, own sessions, token authentication -------------------------------------


def authenticate(w: World) -> AuthenticateAccessTokenHandler:
    return AuthenticateAccessTokenHandler(w.uow, w.clock)


async def check_token(w: World, user: User, pair: TokenPair, token_version: int = 1) -> None:
    await authenticate(w)(
        AuthenticateAccessToken(user_id=user.id, session_id=pair.session_id, token_version=token_version)
    )


async def test_a_live_session_with_the_current_token_version_authenticates(world: World) -> None:
    alice = world.user("alice@example.com", platform_admin=True)
    pair = await login(world)
    principal = await authenticate(world)(
        AuthenticateAccessToken(user_id=alice.id, session_id=pair.session_id, token_version=1)
    )
    assert (principal.user_id, principal.session_id, principal.is_platform_admin) == (alice.id, pair.session_id, True)


async def test_logout_revokes_the_session_and_its_tokens_at_once(world: World) -> None:
    alice = world.user("alice@example.com")
    pair = await login(world)
    await LogoutHandler(world.uow, world.clock)(Logout(user_id=alice.id, session_id=pair.session_id))
    assert world.uow.state.sessions[pair.session_id].revoked_reason is RevocationReason.LOGOUT
    with pytest.raises(NotAuthenticated):
        await check_token(world, alice, pair)
    with pytest.raises(InvalidRefreshToken):
        await refresh_handler(world)(Refresh(refresh_token=pair.refresh_token))


async def test_logout_all_revokes_every_session_and_bumps_the_token_version(world: World) -> None:
    alice = world.user("alice@example.com")
    membership = world.member(alice)
    one, two = await login(world), await login(world)
    handler = LogoutAllHandler(world.uow, world.access_cache, world.clock, world.ids)
    await handler(LogoutAll(user_id=alice.id))
    assert world.stored_user(alice.id).token_version == 2
    assert all(world.uow.state.sessions[p.session_id].revoked_reason is RevocationReason.LOGOUT_ALL for p in (one, two))
    assert world.uow.commits == 3
    assert world.access_cache.invalidated_memberships == [(membership.company_id, membership.id)]
    assert world.uow.state.audit[-1].action == "user.sessions_revoked"
    for pair in (one, two):
        with pytest.raises(NotAuthenticated):
            await check_token(world, alice, pair)


async def test_an_old_token_version_is_refused_even_on_a_live_session(world: World) -> None:
    alice = world.user("alice@example.com")
    pair = await login(world)
    world.stored_user(alice.id).bump_token_version()
    with pytest.raises(NotAuthenticated) as caught:
        await check_token(world, alice, pair, token_version=1)
    assert caught.value.code == "UNAUTHENTICATED"


async def test_a_session_of_another_user_or_an_expired_one_does_not_authenticate(world: World) -> None:
    alice = world.user("alice@example.com")
    bob = world.user("bob@example.com")
    pair = await login(world)
    with pytest.raises(NotAuthenticated):
        await check_token(world, bob, pair)
    world.clock.advance(days=31)
    with pytest.raises(NotAuthenticated):
        await check_token(world, alice, pair)


async def test_a_suspended_user_does_not_authenticate(world: World) -> None:
    alice = world.user("alice@example.com")
    pair = await login(world)
    world.stored_user(alice.id).suspend()
    with pytest.raises(NotAuthenticated):
        await check_token(world, alice, pair)


async def test_revoking_an_own_session(world: World) -> None:
    alice = world.user("alice@example.com")
    pair = await login(world)
    await RevokeOwnSessionHandler(world.uow, world.clock)(
        RevokeOwnSession(user_id=alice.id, session_id=pair.session_id)
    )
    assert world.uow.state.sessions[pair.session_id].revoked_reason is RevocationReason.REVOKED_BY_USER


async def test_revoking_someone_elses_session_is_not_found_and_writes_nothing(world: World) -> None:
    world.user("alice@example.com")
    mallory = world.user("mallory@example.com")
    pair = await login(world)
    commits = world.uow.commits
    with pytest.raises(SessionNotFound) as caught:
        await RevokeOwnSessionHandler(world.uow, world.clock)(
            RevokeOwnSession(user_id=mallory.id, session_id=pair.session_id)
        )
    assert caught.value.code == "SESSION_NOT_FOUND"
    assert world.uow.commits == commits
    assert not world.uow.state.sessions[pair.session_id].is_revoked
