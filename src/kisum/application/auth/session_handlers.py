"""Login, refresh, logout, session revocation and access-token authentication."""

from __future__ import annotations

from uuid import UUID

from kisum.application.auth.commands import Login, Logout, LogoutAll, Refresh, RevokeOwnSession
from kisum.application.auth.ports import (
    AccessCache,
    AccessTokenIssuer,
    AuthUnitOfWork,
    LoginThrottle,
    PasswordHasher,
    RefreshTokenFactory,
)
from kisum.application.auth.queries import AuthenticateAccessToken
from kisum.application.auth.services import Auditor
from kisum.application.auth.settings import AuthSettings
from kisum.application.auth.views import Principal, TokenPair, UserView
from kisum.application.ports import Clock, IdGenerator
from kisum.domain.auth.audit import AuditAction, user_actor
from kisum.domain.auth.errors import (
    InvalidCredentials,
    InvalidRefreshToken,
    RefreshTokenReused,
    SessionNotFound,
    TokenRevoked,
)
from kisum.domain.auth.identity import lookup_email
from kisum.domain.auth.sessions import RevocationReason, Session
from kisum.domain.auth.throttling import throttle_account_key

MAX_REFRESH_TOKEN_LENGTH = 1024


class LoginHandler:
    """Unknown email, wrong password, suspended user and password-less account all end in the
    same ``INVALID_CREDENTIALS`` after one (real or dummy) hash verification, and all count as a
    failure for the throttle. Nothing is written on failure."""

    def __init__(
        self,
        uow: AuthUnitOfWork,
        hasher: PasswordHasher,
        throttle: LoginThrottle,
        access_tokens: AccessTokenIssuer,
        refresh_tokens: RefreshTokenFactory,
        clock: Clock,
        ids: IdGenerator,
        settings: AuthSettings,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._throttle = throttle
        self._access_tokens = access_tokens
        self._refresh_tokens = refresh_tokens
        self._clock = clock
        self._ids = ids
        self._settings = settings

    async def __call__(self, command: Login) -> TokenPair:
        account = throttle_account_key(command.email)
        await self._throttle.check(account, command.ip)
        password = command.password
        email = lookup_email(command.email)
        async with self._uow as uow:
            user = await uow.users.get_by_email(email) if email is not None else None
            verified = False
            too_long = len(password) > self._settings.password_policy.max_length
            if user is None or user.password_hash is None or too_long:
                # Same cost as a real verification; a >max password can never be right.
                await self._hasher.verify_dummy(password[: self._settings.password_policy.max_length])
            else:
                verified = await self._hasher.verify(user.password_hash, password)
            if user is None or user.password_hash is None or not verified or not user.is_active:
                await self._throttle.record_failure(account, command.ip)
                raise InvalidCredentials()
            await self._throttle.record_success(account, command.ip)

            if self._hasher.needs_rehash(user.password_hash):
                new_hash = await self._hasher.hash(password)
                # Re-read under lock: saving the unlocked copy could undo a concurrent token bump.
                locked = await uow.users.get(user.id, for_update=True)
                if locked is not None and locked.password_hash == user.password_hash:
                    locked.change_password_hash(new_hash)
                    await uow.users.save(locked)

            now = self._clock.now()
            refresh = self._refresh_tokens.new()
            session = Session.start(
                session_id=self._ids.new_id(),
                user_id=user.id,
                refresh_token_hash=refresh.token_hash,
                now=now,
                policy=self._settings.session_policy,
                user_agent=command.user_agent,
                ip=command.ip,
            )
            await uow.sessions.add(session)
            issued = self._access_tokens.issue(
                user_id=user.id, session_id=session.id, token_version=user.token_version, now=now
            )
            await uow.commit()
        return TokenPair(
            access_token=issued.token,
            refresh_token=refresh.token,
            expires_in=issued.expires_in,
            session_id=session.id,
            user=UserView.of(user),
        )


class RefreshHandler:
    """Rotate the refresh token. Reuse of a rotated token revokes the session: that revocation
    is committed (the one write on a refused refresh) before ``REFRESH_TOKEN_REUSED`` is raised."""

    def __init__(
        self,
        uow: AuthUnitOfWork,
        access_tokens: AccessTokenIssuer,
        refresh_tokens: RefreshTokenFactory,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._access_tokens = access_tokens
        self._refresh_tokens = refresh_tokens
        self._clock = clock

    async def __call__(self, command: Refresh) -> TokenPair:
        token = command.refresh_token
        if not token or len(token) > MAX_REFRESH_TOKEN_LENGTH:
            raise InvalidRefreshToken()
        presented = self._refresh_tokens.hash(token)
        async with self._uow as uow:
            owner = await uow.sessions.find_by_refresh_token_hash(presented, for_update=True)
            if owner is None:
                raise InvalidRefreshToken()
            session, user = owner.session, owner.user
            now = self._clock.now()
            fresh = self._refresh_tokens.new()
            try:
                session.rotate(presented_hash=presented, new_hash=fresh.token_hash, now=now)
            except RefreshTokenReused:
                await uow.sessions.save(session)
                await uow.commit()
                raise
            if not user.is_active:
                raise InvalidRefreshToken()
            await uow.sessions.save(session)
            issued = self._access_tokens.issue(
                user_id=user.id, session_id=session.id, token_version=user.token_version, now=now
            )
            await uow.commit()
        return TokenPair(
            access_token=issued.token,
            refresh_token=fresh.token,
            expires_in=issued.expires_in,
            session_id=session.id,
            user=UserView.of(user),
        )


async def _revoke_own(
    uow: AuthUnitOfWork, clock: Clock, user_id: UUID, session_id: UUID, reason: RevocationReason
) -> None:
    async with uow:
        session = await uow.sessions.get(session_id, for_update=True)
        if session is None or session.user_id != user_id:
            raise SessionNotFound()
        session.revoke(clock.now(), reason)
        await uow.sessions.save(session)
        await uow.commit()


class LogoutHandler:
    """Revoke the session the caller's access token belongs to (idempotent)."""

    def __init__(self, uow: AuthUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, command: Logout) -> None:
        await _revoke_own(self._uow, self._clock, command.user_id, command.session_id, RevocationReason.LOGOUT)


class RevokeOwnSessionHandler:
    """Revoke one of the caller's own sessions; another user's session is ``SESSION_NOT_FOUND``."""

    def __init__(self, uow: AuthUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, command: RevokeOwnSession) -> None:
        await _revoke_own(self._uow, self._clock, command.user_id, command.session_id, RevocationReason.REVOKED_BY_USER)


class LogoutAllHandler:
    """Revoke every live session and bump the token version: every access token dies at once."""

    def __init__(self, uow: AuthUnitOfWork, access_cache: AccessCache, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._access_cache = access_cache
        self._clock = clock
        self._auditor = Auditor(clock, ids)

    async def __call__(self, command: LogoutAll) -> None:
        async with self._uow as uow:
            user = await uow.users.get(command.user_id, for_update=True)
            if user is None:
                raise TokenRevoked()
            now = self._clock.now()
            user.bump_token_version()
            await uow.users.save(user)
            sessions = await uow.sessions.list_live_by_user(user.id, now)
            for session in sessions:
                session.revoke(now, RevocationReason.LOGOUT_ALL)
                await uow.sessions.save(session)
            await self._auditor.record(
                uow,
                actor=user_actor(user.id),
                action=AuditAction.SESSIONS_REVOKED,
                target_user_id=user.id,
                sessions=len(sessions),
            )
            memberships = await uow.memberships.list_by_user(user.id)
            await uow.commit()
        for membership in memberships:
            await self._access_cache.invalidate_membership(membership.company_id, membership.id)


class AuthenticateAccessTokenHandler:
    """Called for every request with a verified access token: is its session live and its token
    version current? Raises ``NotAuthenticated`` (401) otherwise. Reads only."""

    def __init__(self, uow: AuthUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, query: AuthenticateAccessToken) -> Principal:
        async with self._uow.reading() as uow:  # one statement: no transaction needed
            state = await uow.sessions.bearer_state(query.session_id)
        if state is None or not state.accepts(
            user_id=query.user_id, token_version=query.token_version, now=self._clock.now()
        ):
            raise TokenRevoked()
        return Principal(
            user_id=state.user_id,
            session_id=state.session_id,
            token_version=state.token_version,
            is_platform_admin=state.is_platform_admin,
        )
