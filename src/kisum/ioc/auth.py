"""Auth's composition root: providers, container and ``create_app`` (persistence, security
primitives, caches, core, use cases).

APP scope (one per process): the signing key ring, the token issuer and verifier, the argon2
hasher, ONE ``RedisGate`` shared by the throttle and both caches, the core client.
REQUEST scope: the Unit of Work (closed, never committed, by its finalizer), the per-attempt
login throttle, and the handlers (except ``GetMyAccessHandler``: one per process, with its own
Units of Work, so that concurrent cache misses share one build).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

from dishka import AsyncContainer, Provider, Scope, alias, make_async_container, provide, provide_all
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.cache.access_cache import RedisAccessCache, RedisEntitlementsCache
from kisum.adapters.cache.login_throttle import RedisLoginThrottle
from kisum.adapters.cache.redis import RedisGate
from kisum.adapters.clients.core_client import CoreClient
from kisum.adapters.clients.core_entitlements import CoreEntitlementsGateway
from kisum.adapters.http.auth.app import build_app
from kisum.adapters.http.auth.bearer import BearerAuthenticator
from kisum.adapters.http.auth.login_attempts import SettlingLoginThrottle
from kisum.adapters.http.backends import permission_catalog
from kisum.adapters.persistence.auth.uow import SqlAuthUnitOfWork, SqlAuthUnitOfWorkFactory
from kisum.adapters.security.access_tokens import AccessTokenVerifier
from kisum.adapters.security.passwords import Argon2PasswordHasher
from kisum.adapters.security.refresh_tokens import Sha256RefreshTokenFactory
from kisum.adapters.security.service_tokens import ServiceCredentialsProvider, ServiceTokenIssuer
from kisum.adapters.security.signing_keys import KeyRing
from kisum.adapters.security.token_issuer import KeyRingAccessTokenIssuer
from kisum.application.auth import platform_handlers, query_handlers, session_handlers, tenant_handlers
from kisum.application.auth.ports import (
    AccessCache,
    AccessTokenIssuer,
    AuthUnitOfWork,
    EntitlementsCache,
    EntitlementsGateway,
    LoginThrottle,
    PasswordHasher,
    RefreshTokenFactory,
)
from kisum.application.auth.services import EntitlementsReader
from kisum.application.auth.settings import AuthSettings
from kisum.application.ports import Clock
from kisum.config import Role, Settings, load_settings
from kisum.domain.auth.sessions import SessionPolicy
from kisum.ioc.common import DatabaseProvider, SettingsProvider, SystemProvider


def auth_settings_from(settings: Settings) -> AuthSettings:
    return AuthSettings(session_policy=SessionPolicy(timedelta(seconds=settings.session_absolute_ttl_seconds)))


class AuthPersistenceProvider(Provider):
    @provide(scope=Scope.REQUEST)
    async def unit_of_work(self, sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AuthUnitOfWork]:
        # The bearer check and the route's handler both enter this one Unit of Work, one after
        # the other: each block its own transaction and its own brief pool checkout.
        uow = SqlAuthUnitOfWork(sessions)
        try:
            yield uow
        finally:  # only close (discarding anything uncommitted): handlers commit, finalizers never do
            await uow.close()

    @provide(scope=Scope.APP)
    def uow_factory(self, sessions: async_sessionmaker[AsyncSession]) -> SqlAuthUnitOfWorkFactory:
        return SqlAuthUnitOfWorkFactory(sessions)


class AuthSecurityProvider(Provider):
    scope = Scope.APP

    @provide
    def auth_settings(self, settings: Settings) -> AuthSettings:
        return auth_settings_from(settings)

    @provide
    async def key_ring(
        self, settings: Settings, sessions: async_sessionmaker[AsyncSession], clock: Clock
    ) -> AsyncIterator[KeyRing]:
        ring = KeyRing.from_settings(settings, sessions)
        await ring.start(clock.now)
        try:
            yield ring
        finally:
            await ring.stop()

    @provide
    def access_token_issuer(self, ring: KeyRing, settings: Settings) -> AccessTokenIssuer:
        return KeyRingAccessTokenIssuer.from_settings(ring, settings)

    @provide
    def access_token_verifier(self, settings: Settings) -> AccessTokenVerifier:
        return AccessTokenVerifier(
            algorithm=settings.jwt_algorithm, issuer=settings.jwt_issuer, audience=settings.jwt_audience
        )

    @provide
    def bearer(
        self,
        ring: KeyRing,
        verifier: AccessTokenVerifier,
        uow_factory: SqlAuthUnitOfWorkFactory,
        clock: Clock,
        settings: Settings,
    ) -> BearerAuthenticator:
        return BearerAuthenticator(ring, verifier, uow_factory, clock, cache_size=settings.token_cache_size)

    @provide
    def password_hasher(self, settings: Settings) -> Iterator[PasswordHasher]:
        hasher = Argon2PasswordHasher.from_settings(settings)
        try:
            yield hasher
        finally:
            hasher.close()

    @provide
    def refresh_tokens(self) -> RefreshTokenFactory:
        return Sha256RefreshTokenFactory()


class AuthCacheProvider(Provider):
    """One Redis gate per process: the throttle and both caches share its client and its switch."""

    scope = Scope.APP

    @provide
    async def gate(self, settings: Settings) -> AsyncIterator[RedisGate]:
        gate = RedisGate.from_settings(settings, Role.AUTH)
        try:
            yield gate
        finally:
            await gate.aclose()

    @provide
    def throttle(self, gate: RedisGate, settings: Settings) -> RedisLoginThrottle:
        return RedisLoginThrottle.from_settings(gate, settings)

    @provide(scope=Scope.REQUEST)
    async def login_attempt(self, throttle: RedisLoginThrottle) -> AsyncIterator[SettlingLoginThrottle]:
        attempt = SettlingLoginThrottle(throttle)
        try:
            yield attempt
        finally:
            await attempt.release_unsettled()

    login_throttle = alias(source=SettlingLoginThrottle, provides=LoginThrottle)

    @provide
    def access_cache(self, gate: RedisGate, settings: Settings) -> AccessCache:
        return RedisAccessCache.from_settings(gate, settings)

    @provide
    def entitlements_cache(self, gate: RedisGate, settings: Settings) -> EntitlementsCache:
        return RedisEntitlementsCache.from_settings(gate, settings)


class AuthCoreProvider(Provider):
    """Entitlements come from core (commercial truth), through one pooled client."""

    scope = Scope.APP

    @provide
    async def core_client(self, settings: Settings, issuer: ServiceTokenIssuer) -> AsyncIterator[CoreClient]:
        client = CoreClient.from_settings(settings, issuer)
        try:
            yield client
        finally:
            await client.aclose()

    @provide
    def gateway(self, core: CoreClient) -> EntitlementsGateway:
        return CoreEntitlementsGateway(core)

    @provide
    def entitlements_reader(
        self, gateway: EntitlementsGateway, cache: EntitlementsCache, clock: Clock, settings: AuthSettings
    ) -> EntitlementsReader:
        return EntitlementsReader(gateway, cache, clock, settings)

    @provide
    def my_access(
        self,
        uow_factory: SqlAuthUnitOfWorkFactory,
        entitlements: EntitlementsReader,
        access_cache: AccessCache,
        clock: Clock,
        settings: AuthSettings,
    ) -> query_handlers.GetMyAccessHandler:
        # One per process, so that concurrent misses share one build (see the handler).
        return query_handlers.GetMyAccessHandler(uow_factory, entitlements, access_cache, clock, settings)


class AuthUseCaseProvider(Provider):
    scope = Scope.REQUEST

    sessions = provide_all(
        session_handlers.LoginHandler,
        session_handlers.RefreshHandler,
        session_handlers.LogoutHandler,
        session_handlers.LogoutAllHandler,
        session_handlers.RevokeOwnSessionHandler,
    )
    tenant = provide_all(
        tenant_handlers.CreateMembershipHandler,
        tenant_handlers.UpdateMembershipHandler,
        tenant_handlers.GrantModulesHandler,
        tenant_handlers.RevokeModuleHandler,
        tenant_handlers.GrantPermissionsHandler,
        tenant_handlers.RevokePermissionHandler,
        tenant_handlers.SetDelegationPolicyHandler,
    )
    platform = provide_all(
        platform_handlers.CreateOwnerMembershipHandler,
        platform_handlers.CreatePermissionHandler,
        platform_handlers.DeletePermissionHandler,
        platform_handlers.HandleEntitlementsChangedHandler,
    )
    reads = provide_all(
        query_handlers.GetMeHandler,
        query_handlers.ListMySessionsHandler,
        query_handlers.ListTenantUsersHandler,
        query_handlers.ListPermissionsHandler,
    )


def auth_providers() -> list[Provider]:
    return [
        SystemProvider(),
        DatabaseProvider(Role.AUTH),
        ServiceCredentialsProvider(Role.AUTH),
        AuthPersistenceProvider(),
        AuthSecurityProvider(),
        AuthCacheProvider(),
        AuthCoreProvider(),
        AuthUseCaseProvider(),
    ]


def make_container(settings: Settings) -> AsyncContainer:
    return make_async_container(
        SettingsProvider(),
        *auth_providers(),
        LitestarProvider(),
        context={Settings: settings},
    )


def create_app(settings: Settings | None = None) -> Litestar:
    """Auth's app (``kisum serve auth``); it seeds the permissions every business backend declares."""
    settings = settings or load_settings()
    return build_app(settings, make_container(settings), permission_catalog=permission_catalog())
