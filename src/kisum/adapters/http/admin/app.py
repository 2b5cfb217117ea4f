"""The admin role: the platform administrators' API over core (catalog, companies, subscriptions)
and auth (permission catalog, owner memberships). Platform admins only.

``build_app`` assembles the app around the container that admin's composition root
(``kisum.ioc.admin``) built; it never builds one itself.
"""

from __future__ import annotations

from dishka import AsyncContainer
from litestar import Litestar

from kisum.adapters.http.admin.controllers import ROUTE_HANDLERS
from kisum.adapters.http.common.app import RoleAppSpec, create_role_app
from kisum.adapters.security.service_tokens import ServiceTokenIssuer
from kisum.config import Role, Settings

DESCRIPTION = (
    "Admin: the platform administrators' API. Every route needs the bearer access token of a user "
    "who is a platform admin (401 without a valid token, 403 PLATFORM_ADMIN_REQUIRED otherwise). "
    "Catalog, company and subscription calls are proxied to core; the permission catalog and owner "
    "memberships to auth."
)


def build_app(settings: Settings, container: AsyncContainer) -> Litestar:
    async def prepare() -> None:
        # Our service key pair exists from the start, so auth and core find our public key.
        await container.get(ServiceTokenIssuer)

    spec = RoleAppSpec(
        role=Role.ADMIN,
        route_handlers=ROUTE_HANDLERS,
        # Admin keeps no state of its own; auth and core report their own readiness.
        readiness_checks=[],
        on_startup=[prepare],
        security=("bearer",),
        description=DESCRIPTION,
    )
    return create_role_app(spec, settings, container)
