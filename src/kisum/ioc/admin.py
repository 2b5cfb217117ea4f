"""Admin's composition root: providers (no database; clients of auth and core, the admin check),
container and ``create_app``.

The two transports are for tests (route the clients to in-process apps or inject failures); in
production both are None and httpx connects to ``KISUM_AUTH_URL`` / ``KISUM_CORE_URL``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import AsyncContainer, Provider, Scope, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar

from kisum.adapters.clients.auth_client import AuthClient
from kisum.adapters.clients.core_client import CoreClient
from kisum.adapters.http.admin.app import build_app
from kisum.adapters.http.admin.guard import PlatformAdminCheck
from kisum.adapters.security.access_tokens import AccessTokenVerifier
from kisum.adapters.security.identity import JWKS_PATH, JwksKeySource, TokenAuthenticator
from kisum.adapters.security.service_tokens import ServiceCredentialsProvider, ServiceTokenIssuer
from kisum.config import Role, Settings, load_settings
from kisum.ioc.common import SettingsProvider, SystemProvider


class AdminProvider(Provider):
    scope = Scope.APP

    def __init__(
        self,
        *,
        auth_transport: httpx.AsyncBaseTransport | None = None,
        core_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__()
        self.auth_transport = auth_transport
        self.core_transport = core_transport

    @provide
    async def auth_client(self, settings: Settings, issuer: ServiceTokenIssuer) -> AsyncIterator[AuthClient]:
        client = AuthClient.from_settings(settings, issuer, transport=self.auth_transport)
        try:
            yield client
        finally:
            await client.aclose()

    @provide
    async def core_client(self, settings: Settings, issuer: ServiceTokenIssuer) -> AsyncIterator[CoreClient]:
        client = CoreClient.from_settings(settings, issuer, transport=self.core_transport)
        try:
            yield client
        finally:
            await client.aclose()

    @provide
    async def jwks(self, settings: Settings) -> AsyncIterator[JwksKeySource]:
        """Auth's public keys, fetched and cached by the enforcement kit's key source."""
        timeout = settings.internal_call_timeout_seconds
        client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 1.0)),
            transport=self.auth_transport,
            follow_redirects=False,
        )
        try:
            yield JwksKeySource(
                client,
                url=settings.url_of(Role.AUTH) + JWKS_PATH,
                algorithm=settings.jwt_algorithm,
                cache_seconds=settings.jwks_cache_seconds,
                min_refresh_seconds=settings.jwks_min_refresh_seconds,
                timeout_seconds=timeout,
            )
        finally:
            await client.aclose()

    @provide
    def tokens(self, settings: Settings, keys: JwksKeySource) -> TokenAuthenticator:
        verifier = AccessTokenVerifier(
            algorithm=settings.jwt_algorithm, issuer=settings.jwt_issuer, audience=settings.jwt_audience
        )
        return TokenAuthenticator(keys, verifier, cache_size=settings.token_cache_size)

    @provide
    def admin_check(self, tokens: TokenAuthenticator, auth: AuthClient) -> PlatformAdminCheck:
        return PlatformAdminCheck(tokens, auth)


def make_container(
    settings: Settings,
    *,
    auth_transport: httpx.AsyncBaseTransport | None = None,
    core_transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncContainer:
    return make_async_container(
        SettingsProvider(),
        SystemProvider(),
        ServiceCredentialsProvider(Role.ADMIN),
        AdminProvider(auth_transport=auth_transport, core_transport=core_transport),
        LitestarProvider(),
        context={Settings: settings},
    )


def create_app(
    settings: Settings | None = None,
    *,
    auth_transport: httpx.AsyncBaseTransport | None = None,
    core_transport: httpx.AsyncBaseTransport | None = None,
) -> Litestar:
    """Admin's app (``kisum serve admin``); the transports route its clients in tests."""
    settings = settings or load_settings()
    return build_app(settings, make_container(settings, auth_transport=auth_transport, core_transport=core_transport))
