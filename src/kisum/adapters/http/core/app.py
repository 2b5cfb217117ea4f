"""The core role: commercial truth (catalog, companies, subscriptions, entitlements), internal only.

``build_app`` assembles the app around the container that core's composition root
(``kisum.ioc.core``) built; it never builds one itself.
"""

from __future__ import annotations

from dishka import AsyncContainer
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.http.common.app import RoleAppSpec, create_role_app
from kisum.adapters.http.core.controllers import ROUTE_HANDLERS
from kisum.adapters.persistence.core.outbox import OutboxRelay
from kisum.adapters.persistence.database import ping
from kisum.adapters.persistence.migrations import prepare_database
from kisum.adapters.security.service_tokens import ServiceTokenIssuer
from kisum.config import Role, Settings

DESCRIPTION = (
    "Core: the commercial truth of Kisum (catalog, company registry, subscriptions, entitlements). "
    "Internal only: every route needs a service token addressed to core."
)


def build_app(settings: Settings, container: AsyncContainer) -> Litestar:
    async def prepare() -> None:
        await prepare_database(await container.get(AsyncEngine), Role.CORE.value)
        # Our key pair exists from the start, so auth finds core's public key in embedded mode.
        await container.get(ServiceTokenIssuer)

    async def start_outbox_relay() -> None:
        (await container.get(OutboxRelay)).start()

    async def stop_outbox_relay() -> None:
        await (await container.get(OutboxRelay)).stop()

    async def database() -> None:
        await ping(await container.get(AsyncEngine))

    spec = RoleAppSpec(
        role=Role.CORE,
        route_handlers=ROUTE_HANDLERS,
        readiness_checks=[("database", database)],
        on_startup=[prepare, start_outbox_relay],
        on_shutdown=[stop_outbox_relay],
        security=("service",),
        description=DESCRIPTION,
    )
    return create_role_app(spec, settings, container)
