"""The auth role: identity, sessions, access tokens and JWKS, memberships, grants, effective access."""

from __future__ import annotations

from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.http.auth.controllers import ROUTE_HANDLERS
from kisum.adapters.http.auth.startup import bootstrap_platform_admin, seed_permission_catalog
from kisum.adapters.http.common.app import RoleAppSpec, create_role_app
from kisum.adapters.http.common.enforcement.permissions import business_permission_catalog
from kisum.adapters.persistence.database import ping
from kisum.adapters.persistence.migrations import prepare_database
from kisum.adapters.security.service_tokens import ServiceTokenIssuer
from kisum.adapters.security.signing_keys import KeyRing
from kisum.application.auth.ports import PasswordHasher
from kisum.application.auth.settings import AuthSettings
from kisum.application.ports import Clock, IdGenerator
from kisum.config import Role, Settings, load_settings
from kisum.ioc.auth import SqlAuthUnitOfWorkFactory, make_container

DESCRIPTION = (
    "Auth: the access truth of Kisum. Login, refresh-token rotation, sessions, RSA-signed access "
    "tokens with their JWKS, memberships, grants and delegation, and each user's effective access "
    "in a company (entitlements from core ∩ grants). `/internal/*` is for core and admin only."
)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    container = make_container(settings)

    async def prepare() -> None:
        await prepare_database(await container.get(AsyncEngine), Role.AUTH.value)
        await container.get(KeyRing)  # loads (or creates) the signing keys and starts reloading them
        # Our service key pair exists from the start, so core and admin find our public key.
        await container.get(ServiceTokenIssuer)

    async def seed() -> None:
        uow_factory = await container.get(SqlAuthUnitOfWorkFactory)
        clock, ids = await container.get(Clock), await container.get(IdGenerator)
        await seed_permission_catalog(business_permission_catalog(), uow_factory, clock, ids)
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
