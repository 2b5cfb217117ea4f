"""Which roles exist and where each one's composition root is (imported only when needed).

``kisum serve ROLE`` hands the ``module:function`` string to the server (one import per worker);
``kisum dev`` calls the factories in one process.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol

from kisum.config import Role, Settings

if TYPE_CHECKING:
    from litestar import Litestar


class AppFactory(Protocol):
    def __call__(self, settings: Settings | None = None) -> Litestar: ...


ROLE_APP_FACTORIES: dict[Role, str] = {
    Role.AUTH: "kisum.ioc.auth:create_app",
    Role.CORE: "kisum.ioc.core:create_app",
    Role.ADMIN: "kisum.ioc.admin:create_app",
    Role.BASIC: "kisum.ioc.basic:create_app",
    Role.FINANCE: "kisum.ioc.finance:create_app",
    Role.MARKET: "kisum.ioc.market:create_app",
    Role.TOURING: "kisum.ioc.touring:create_app",
    Role.VENUE: "kisum.ioc.venue:create_app",
    Role.AI: "kisum.ioc.ai:create_app",
}


def available_roles() -> list[Role]:
    return [role for role in Role if role in ROLE_APP_FACTORIES]


def factory_path(role: Role) -> str:
    if role not in ROLE_APP_FACTORIES:
        raise KeyError(f"role {role.value} has no app yet")
    return ROLE_APP_FACTORIES[role]


def app_factory(role: Role) -> AppFactory:
    module_name, attribute = factory_path(role).split(":")
    factory: AppFactory = getattr(importlib.import_module(module_name), attribute)
    return factory
