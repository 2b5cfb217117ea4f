"""A business backend's declaration, and the permission catalog read from every declaration.

A backend declares its role, its module and its routes (each route names its permission) once,
as a ``BusinessBackend`` value in ``kisum.adapters.http.<role>.app``; the registry
``kisum.adapters.http.backends`` lists every declaration, and auth's permission catalog is read
from that list. Nothing is found by name: a backend missing from the registry, a registry
missing a business role, or a backend that declares no permission stops start-up with an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from litestar import Controller
from litestar.types import ControllerRouterHandler

from kisum.adapters.http.common.app import LifecycleHook, ReadinessCheck
from kisum.adapters.http.common.enforcement.permissions import (
    declared_permissions,
    handlers_with_opt,
    permission_of,
    undeclared_handlers,
)
from kisum.config import BUSINESS_ROLES, Role


class BackendDeclarationError(ValueError):
    """A business backend is declared in a way that would make it unreachable or unprotected."""


@dataclass(frozen=True, slots=True)
class BusinessBackend:
    """Everything a module backend declares; the kit adds enforcement, database start-up and health.

    Its dependencies (units of work, handlers) are dishka providers that its composition root
    (``kisum.ioc.<role>``) hands to ``kisum.ioc.business.create_business_app`` with it.
    """

    role: Role
    module: str
    route_handlers: Sequence[ControllerRouterHandler]
    description: str = ""
    uses_database: bool = True
    upload_controllers: Sequence[type[Controller]] = ()
    """Controllers (among ``route_handlers``) that take file uploads: their requests may carry
    ``KISUM_FILE_MAX_BYTES`` plus the multipart overhead."""
    readiness_checks: Sequence[tuple[str, ReadinessCheck]] = ()
    on_startup: Sequence[LifecycleHook] = ()
    on_shutdown: Sequence[LifecycleHook] = field(default_factory=tuple)


def check_declarations(backend: BusinessBackend) -> None:
    """Refuse a backend without routes, with a route that has no permission, or one of another module."""
    if not backend.route_handlers:
        raise BackendDeclarationError(f"{backend.role.value}: declares no route")
    missing = undeclared_handlers(backend.route_handlers)
    if missing:
        raise BackendDeclarationError(
            f"{backend.role.value}: routes without a declared permission: {', '.join(missing)}"
        )
    foreign = sorted(
        {
            permission
            for _, opt in handlers_with_opt(backend.route_handlers)
            if (permission := permission_of(opt)) is not None and not permission.startswith(backend.module + ".")
        }
    )
    if foreign:
        raise BackendDeclarationError(
            f"{backend.role.value}: permissions outside module {backend.module}: {', '.join(foreign)}"
        )
    unrouted = [c.__name__ for c in backend.upload_controllers if c not in backend.route_handlers]
    if unrouted:
        raise BackendDeclarationError(f"{backend.role.value}: upload controllers not among its routes: {unrouted}")


def registry_of(*backends: BusinessBackend) -> Mapping[Role, BusinessBackend]:
    """The backends by role: exactly one for every business role, each well declared."""
    by_role: dict[Role, BusinessBackend] = {}
    for backend in backends:
        if backend.role in by_role:
            raise BackendDeclarationError(f"{backend.role.value}: declared twice")
        check_declarations(backend)
        by_role[backend.role] = backend
    missing = [role.value for role in BUSINESS_ROLES if role not in by_role]
    if missing:
        raise BackendDeclarationError(f"business roles without a registered backend: {', '.join(missing)}")
    strangers = [role.value for role in by_role if role not in BUSINESS_ROLES]
    if strangers:
        raise BackendDeclarationError(f"not business roles: {', '.join(strangers)}")
    return by_role


def business_permission_catalog(backends: Iterable[BusinessBackend]) -> list[tuple[str, str]]:
    """Every ``(permission, description)`` the backends' routes declare, sorted (auth's catalog).

    A backend that declares no permission is an error, never an empty share of the catalog.
    """
    found: dict[str, str] = {}
    for backend in backends:
        declared = declared_permissions(backend.route_handlers)
        if not declared:
            raise BackendDeclarationError(f"{backend.role.value}: declares no permission")
        for permission, description in declared:
            found.setdefault(permission, description)
    return sorted(found.items())
