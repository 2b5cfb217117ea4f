"""Step 5 of enforcement: each route declares its permission next to itself.

``@get("/", opt=requires("basic.artist.view", "List and read artists"))`` — the guard reads
``opt["permission"]``, and ``declared_permissions`` reads the same declarations so auth's permission
catalog is seeded from the routes (one source of truth; see ``backend.business_permission_catalog``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from litestar import Controller, Litestar, Router
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.types import ControllerRouterHandler

from kisum.domain.permissions import is_valid_key

PERMISSION_OPT = "permission"
DESCRIPTION_OPT = "permission_description"


def requires(permission: str, description: str) -> dict[str, str]:
    """The ``opt`` of a route that needs ``permission`` (``module.resource.action``, the domain's grammar)."""
    if not is_valid_key(permission):
        raise ValueError(f"permission {permission!r} is not module.resource.action")
    if not description.strip():
        raise ValueError(f"permission {permission!r} needs a description for the catalog")
    return {PERMISSION_OPT: permission, DESCRIPTION_OPT: description}


def permission_of(opt: Mapping[str, Any]) -> str | None:
    value = opt.get(PERMISSION_OPT)
    return value if isinstance(value, str) else None


def handlers_with_opt(items: Iterable[Any]) -> Iterable[tuple[HTTPRouteHandler, Mapping[str, Any]]]:
    """Every HTTP handler among apps, routers, controllers and handlers, with its (merged) opt."""
    for item in items:
        if isinstance(item, Litestar):
            for route in item.routes:
                if isinstance(route, HTTPRoute):
                    for handler in route.route_handlers:
                        yield handler, handler.opt
        elif isinstance(item, HTTPRouteHandler):
            yield item, item.opt
        elif isinstance(item, type) and issubclass(item, Controller):
            layer_opt = vars(item).get("opt")  # a slot on Controller itself; a dict when a subclass sets it
            base = dict(layer_opt) if isinstance(layer_opt, Mapping) else {}
            for name in dir(item):
                attribute = getattr(item, name)
                if isinstance(attribute, HTTPRouteHandler):
                    yield attribute, {**base, **attribute.opt}
        elif isinstance(item, Router):
            for route in item.routes:
                if isinstance(route, HTTPRoute):
                    for handler in route.route_handlers:
                        yield handler, {**(item.opt or {}), **handler.opt}


def declared_permissions(source: Litestar | Sequence[ControllerRouterHandler]) -> list[tuple[str, str]]:
    """Every ``(permission, description)`` declared by the routes of an app or of route handlers, sorted."""
    items: Iterable[Any] = [source] if isinstance(source, Litestar) else source
    found: dict[str, str] = {}
    for _, opt in handlers_with_opt(items):
        permission = permission_of(opt)
        if permission is None:
            continue
        description = str(opt.get(DESCRIPTION_OPT) or permission)
        found.setdefault(permission, description)
    return sorted(found.items())


def undeclared_handlers(route_handlers: Sequence[ControllerRouterHandler]) -> list[str]:
    """Names of handlers that declare no permission (a business app refuses to start with any)."""
    return sorted(
        f"{'/'.join(sorted(handler.http_methods))} {handler.handler_name}"
        for handler, opt in handlers_with_opt(route_handlers)
        if permission_of(opt) is None
    )
