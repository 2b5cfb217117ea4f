"""Core's composition root: providers (persistence, outbox delivery to auth, use-case handlers),
container and ``create_app``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import AsyncContainer, Provider, Scope, alias, make_async_container, provide, provide_all
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.clients.entitlement_events import AuthEntitlementEventsSender
from kisum.adapters.http.core.app import build_app
from kisum.adapters.persistence.core.outbox import OutboxDispatcher, OutboxRelay
from kisum.adapters.persistence.core.uow import SqlCoreUnitOfWork
from kisum.adapters.persistence.core.views import SqlCoreReadModel
from kisum.adapters.security.service_tokens import ServiceAuth, ServiceCredentialsProvider, ServiceTokenIssuer
from kisum.application.core import handlers, queries
from kisum.application.core.ports import CoreReadModel, CoreUnitOfWork, EntitlementsChangedNotifier
from kisum.application.ports import Clock
from kisum.config import Role, Settings, load_settings
from kisum.ioc.common import DatabaseProvider, SettingsProvider, SystemProvider


class CorePersistenceProvider(Provider):
    @provide(scope=Scope.REQUEST)
    async def unit_of_work(self, sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[SqlCoreUnitOfWork]:
        uow = SqlCoreUnitOfWork(sessions)
        yield uow
        # Only close (which discards anything uncommitted): handlers commit, finalizers never do.
        await uow.close()

    core_uow = alias(source=SqlCoreUnitOfWork, provides=CoreUnitOfWork)

    @provide(scope=Scope.APP)
    def read_model(self, sessions: async_sessionmaker[AsyncSession]) -> CoreReadModel:
        return SqlCoreReadModel(sessions)


class CoreOutboxProvider(Provider):
    """Telling auth: one HTTP client per process, the dispatcher, and the background relay."""

    scope = Scope.APP

    @provide
    async def sender(
        self, settings: Settings, issuer: ServiceTokenIssuer
    ) -> AsyncIterator[AuthEntitlementEventsSender]:
        async with httpx.AsyncClient(
            base_url=settings.url_of(Role.AUTH),
            auth=ServiceAuth(issuer, Role.AUTH),
            timeout=httpx.Timeout(settings.internal_call_timeout_seconds),
            follow_redirects=False,
        ) as client:
            yield AuthEntitlementEventsSender(client)

    @provide
    def dispatcher(
        self, sessions: async_sessionmaker[AsyncSession], sender: AuthEntitlementEventsSender, clock: Clock
    ) -> OutboxDispatcher:
        return OutboxDispatcher(sessions, sender, clock)

    notifier = alias(source=OutboxDispatcher, provides=EntitlementsChangedNotifier)

    @provide
    async def relay(self, dispatcher: OutboxDispatcher) -> AsyncIterator[OutboxRelay]:
        relay = OutboxRelay(dispatcher)
        yield relay
        await relay.stop()


class CoreUseCaseProvider(Provider):
    scope = Scope.REQUEST

    commands = provide_all(
        handlers.CreateModuleHandler,
        handlers.UpdateModuleHandler,
        handlers.DeleteModuleHandler,
        handlers.CreatePackageHandler,
        handlers.UpdatePackageHandler,
        handlers.DeletePackageHandler,
        handlers.CreateAddonHandler,
        handlers.UpdateAddonHandler,
        handlers.DeleteAddonHandler,
        handlers.CreateCompanyHandler,
        handlers.ApproveCompanyHandler,
        handlers.SuspendCompanyHandler,
        handlers.ActivateBasicHandler,
        handlers.DeactivateBasicHandler,
        handlers.ActivateAddonHandler,
        handlers.DeactivateAddonHandler,
    )
    reads = provide_all(
        queries.GetEntitlementsHandler,
        queries.ListModulesHandler,
        queries.ListPackagesHandler,
        queries.ListAddonsHandler,
        queries.ListCompaniesHandler,
        queries.GetCompanyHandler,
    )


def core_providers() -> list[Provider]:
    return [
        SystemProvider(),
        DatabaseProvider(Role.CORE),
        ServiceCredentialsProvider(Role.CORE),
        CorePersistenceProvider(),
        CoreOutboxProvider(),
        CoreUseCaseProvider(),
    ]


def make_container(settings: Settings) -> AsyncContainer:
    return make_async_container(
        SettingsProvider(),
        *core_providers(),
        LitestarProvider(),
        context={Settings: settings},
    )


def create_app(settings: Settings | None = None) -> Litestar:
    """Core's app (``kisum serve core``)."""
    settings = settings or load_settings()
    return build_app(settings, make_container(settings))
