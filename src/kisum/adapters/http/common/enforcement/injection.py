"""How ``/api`` handlers get their arguments: ``access: Access`` and ``FromDishka[...]``.

``ApiRouter`` replaces dishka's ``DishkaRouter`` for the business routes. ``DishkaRouter`` wraps
every controller method, even one without a ``FromDishka`` parameter, and its wrapper asks Litestar
for the request and builds a ``State`` to find the container, on every request. Here:

- ``access: Access`` is the context the enforcement middleware established for this request,
  passed straight from ``current_access`` (no container, no Litestar parameter);
- ``FromDishka[X]`` parameters are injected by dishka's own ``wrap_injection``, reading the request
  container straight from the scope; a handler without any has no dishka wrapper at all.

Handlers are wrapped once, when they are registered (function handlers, controllers and nested
routers alike), so a ``FromDishka`` parameter never becomes a query parameter (STYLE pitfall 3).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, get_type_hints

from dishka.integrations.base import default_parse_dependency, wrap_injection
from litestar import Request, Router
from litestar.handlers import HTTPRouteHandler
from litestar.types import ControllerRouterHandler

from kisum.adapters.http.common.enforcement.guard import ACCESS_PARAMETER, Access, current_access
from kisum.adapters.http.common.enforcement.permissions import permission_of

_INJECTED = "__kisum_injected__"
_REQUEST = "request"
_REQUEST_PARAMETER = inspect.Parameter(_REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request)


def _request_container(_: Any, kwargs: dict[str, Any]) -> Any:
    return kwargs[_REQUEST].scope["state"]["dishka_container"]


def inject_handler(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` with its ``access`` and ``FromDishka`` parameters supplied (``fn`` itself if it has none)."""
    if getattr(fn, _INJECTED, False):
        return fn
    hints = get_type_hints(fn, include_extras=True)
    parameters = inspect.signature(fn).parameters
    wants_container = any(default_parse_dependency(p, hints.get(name, Any)) for name, p in parameters.items())
    wants_access = ACCESS_PARAMETER in parameters and hints.get(ACCESS_PARAMETER) == Access
    if not (wants_container or wants_access):
        return fn
    if not inspect.iscoroutinefunction(fn):
        raise TypeError(f"{getattr(fn, '__qualname__', fn)}: an /api handler that takes access or FromDishka is async")
    inner = fn
    if wants_container:
        added = [] if _REQUEST in parameters else [_REQUEST_PARAMETER]  # dishka pops what it added
        inner = wrap_injection(func=fn, is_async=True, additional_params=added, container_getter=_request_container)
    if wants_access:
        inner = _with_access(inner)
    setattr(inner, _INJECTED, True)
    return inner


def _with_access(inner: Callable[..., Any]) -> Callable[..., Any]:
    """``inner`` without its ``access`` parameter, which comes from ``current_access()``."""
    hints = get_type_hints(inner, include_extras=True)
    signature = inspect.signature(inner)

    async def with_access(*args: Any, **kwargs: Any) -> Any:
        return await inner(*args, **kwargs, access=current_access())

    with_access.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[
            p.replace(annotation=hints.get(name, p.annotation))
            for name, p in signature.parameters.items()
            if name != ACCESS_PARAMETER
        ],
        return_annotation=hints.get("return", signature.return_annotation),
    )
    with_access.__annotations__ = {name: hint for name, hint in hints.items() if name != ACCESS_PARAMETER}
    for attribute in ("__name__", "__qualname__", "__doc__", "__module__"):
        setattr(with_access, attribute, getattr(inner, attribute, None))
    return with_access


class ApiRouter(Router):
    """The ``/api`` router: every HTTP handler registered on it, at any depth, is injected."""

    __slots__ = ()

    def register(self, value: ControllerRouterHandler) -> list[Any]:
        routes = super().register(value)
        for route in routes:
            for handler in getattr(route, "route_handlers", ()):
                # Litestar's own OPTIONS handlers declare no permission (the middleware refuses them).
                if isinstance(handler, HTTPRouteHandler) and permission_of(handler.opt) is not None:
                    handler._fn = inject_handler(handler._fn)
        return routes
