"""Which roles exist and where each one's app factory lives (imported only when needed)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol

from kisum.config import Role, Settings

if TYPE_CHECKING:
    from litestar import Litestar


class AppFactory(Protocol):
    def __call__(self, settings: Settings | None = None) -> Litestar: ...


ROLE_APP_FACTORIES: dict[Role, str] = {
    Role.AUTH: "kisum.adapters.http.auth.app:create_app",
    Role.CORE: "kisum.adapters.http.core.app:create_app",
    Role.ADMIN: "kisum.adapters.http.admin.app:create_app",
    Role.BASIC: "kisum.adapters.http.basic.app:create_app",
    Role.FINANCE: "kisum.adapters.http.finance.app:create_app",
    Role.MARKET: "kisum.adapters.http.market.app:create_app",
    Role.TOURING: "kisum.adapters.http.touring.app:create_app",
    Role.VENUE: "kisum.adapters.http.venue.app:create_app",
    Role.AI: "kisum.adapters.http.ai.app:create_app",
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
