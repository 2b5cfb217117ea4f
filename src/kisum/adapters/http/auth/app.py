"""The auth role: identity, sessions, access tokens and JWKS, memberships, grants, effective access.

``build_app`` assembles the app around the container that auth's composition root
(``kisum.ioc.auth``) built; it never builds one itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from dishka import AsyncContainer
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.http.auth.controllers import ROUTE_HANDLERS
from kisum.adapters.http.auth.startup import bootstrap_platform_admin, seed_permission_catalog
from kisum.adapters.http.common.app import RoleAppSpec, create_role_app
from kisum.adapters.persistence.auth.uow import SqlAuthUnitOfWorkFactory
from kisum.adapters.persistence.database import ping
from kisum.adapters.persistence.migrations import prepare_database
from kisum.adapters.security.service_tokens import ServiceTokenIssuer
from kisum.adapters.security.signing_keys import KeyRing
from kisum.application.auth.ports import PasswordHasher
from kisum.application.auth.settings import AuthSettings
from kisum.application.ports import Clock, IdGenerator
from kisum.config import Role, Settings

DESCRIPTION = (
    "Auth: the access truth of Kisum. Login, refresh-token rotation, sessions, RSA-signed access "
    "tokens with their JWKS, memberships, grants and delegation, and each user's effective access "
    "in a company (entitlements from core ∩ grants). `/internal/*` is for core and admin only."
)


def build_app(
    settings: Settings, container: AsyncContainer, *, permission_catalog: Sequence[tuple[str, str]]
) -> Litestar:
    """Auth's app; at start-up it seeds ``permission_catalog`` (what the business routes declare)."""

    async def prepare() -> None:
        await prepare_database(await container.get(AsyncEngine), Role.AUTH.value)
        await container.get(KeyRing)  # loads (or creates) the signing keys and starts reloading them
        # Our service key pair exists from the start, so core and admin find our public key.
        await container.get(ServiceTokenIssuer)

    async def seed() -> None:
        uow_factory = await container.get(SqlAuthUnitOfWorkFactory)
        clock, ids = await container.get(Clock), await container.get(IdGenerator)
        await seed_permission_catalog(permission_catalog, uow_factory, clock, ids)
        if settings.bootstrap_admin_email and settings.bootstrap_admin_password:
            await bootstrap_platform_admin(
                settings.bootstrap_admin_email,
                settings.bootstrap_admin_password,
                uow_factory,
                await container.get(PasswordHasher),
                clock,
                ids,
                await container.get(AuthSettings),
            )

    async def database() -> None:
        await ping(await container.get(AsyncEngine))

    spec = RoleAppSpec(
        role=Role.AUTH,
        route_handlers=ROUTE_HANDLERS,
        # Redis is optional (in-process fallback), so it is never a reason to be "not ready".
        readiness_checks=[("database", database)],
        on_startup=[prepare, seed],
        description=DESCRIPTION,
    )
    return create_role_app(spec, settings, container)
