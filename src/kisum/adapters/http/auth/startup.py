"""Auth's start-up tasks: the permission catalog from the business routes, the bootstrap admin.

Both are idempotent and safe when several replicas start at the same moment: a key or an
account another replica has just created is simply already there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from kisum.application.auth.commands import BootstrapPlatformAdmin, CreatePermission, ServiceCaller
from kisum.application.auth.platform_handlers import BootstrapPlatformAdminHandler, CreatePermissionHandler
from kisum.application.auth.ports import AuthUnitOfWork, PasswordHasher
from kisum.application.auth.queries import ListPermissions
from kisum.application.auth.query_handlers import ListPermissionsHandler
from kisum.application.auth.settings import AuthSettings
from kisum.application.auth.views import BootstrapResult
from kisum.application.ports import Clock, IdGenerator
from kisum.domain.auth.errors import EmailTaken, PermissionExists
from kisum.domain.paging import MAX_PAGE_LIMIT

logger = logging.getLogger("kisum.auth.startup")

SEEDER = ServiceCaller(role="auth")


async def catalog_keys(uow_factory: Callable[[], AuthUnitOfWork]) -> set[str]:
    keys: set[str] = set()
    page = 1
    while True:
        result = await ListPermissionsHandler(uow_factory())(ListPermissions(page=page, limit=MAX_PAGE_LIMIT))
        keys.update(permission.key for permission in result.items)
        if page * result.limit >= result.total:
            return keys
        page += 1


async def seed_permission_catalog(
    declared: Iterable[tuple[str, str]],
    uow_factory: Callable[[], AuthUnitOfWork],
    clock: Clock,
    ids: IdGenerator,
) -> list[str]:
    """Add every declared permission the catalog lacks; never touch or delete existing keys
    (descriptions an admin edited and keys an admin created stay as they are)."""
    existing = await catalog_keys(uow_factory)
    created: list[str] = []
    for key, description in declared:
        if key in existing:
            continue
        try:
            await CreatePermissionHandler(uow_factory(), clock, ids)(
                CreatePermission(caller=SEEDER, key=key, description=description)
            )
        except PermissionExists:
            continue  # another replica added it first
        created.append(key)
    if created:
        logger.info("permission catalog seeded from the business routes", extra={"permissionsCreated": len(created)})
    return created


async def bootstrap_platform_admin(
    email: str,
    password: str,
    uow_factory: Callable[[], AuthUnitOfWork],
    hasher: PasswordHasher,
    clock: Clock,
    ids: IdGenerator,
    settings: AuthSettings,
) -> BootstrapResult | None:
    """Create the configured platform admin unless that email already has an account.

    A password the policy refuses stops start-up (``WeakPassword``): better than an admin
    account nobody can use, or one with a guessable password.
    """
    handler = BootstrapPlatformAdminHandler(uow_factory(), hasher, clock, ids, settings)
    try:
        result = await handler(BootstrapPlatformAdmin(email=email, password=password))
    except EmailTaken:
        return None  # another replica created it at the same moment
    if result.created:
        logger.info("platform admin bootstrapped", extra={"userId": str(result.user_id)})
    return result
