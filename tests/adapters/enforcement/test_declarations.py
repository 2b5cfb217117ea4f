"""Permissions are declared beside the routes, read back for auth's catalog, and enforced at start.

Every business backend is declared once and listed in ``kisum.adapters.http.backends``; the catalog
reads that list, and anything that would leave it short fails loudly instead.
"""

from __future__ import annotations

import uuid

import pytest
from dishka.integrations.litestar import FromDishka
from litestar import Controller, Litestar, Router, get

from kisum.adapters.http.backends import BUSINESS_BACKENDS, permission_catalog
from kisum.adapters.http.basic.controllers import ROUTE_HANDLERS
from kisum.adapters.http.common.enforcement import (
    AccessContext,
    BackendDeclarationError,
    BusinessBackend,
    business_permission_catalog,
    declared_permissions,
    registry_of,
    requires,
)
from kisum.adapters.http.common.enforcement.app import check_injected
from kisum.adapters.persistence.tenant import TenantRepository
from kisum.config import BUSINESS_ROLES, Role, Settings
from kisum.domain.permissions import MAX_SEGMENT_LENGTH, is_valid_key
from kisum.ioc.basic import create_app as create_basic_app
from kisum.ioc.business import create_business_app
from kisum.ioc.registry import ROLE_APP_FACTORIES, app_factory
from tests.adapters.enforcement.conftest import thing_backend

BASIC_RESOURCES = (
    *("artist", "event", "agency", "vendor", "venue", "task", "file"),
    *("avail", "offer", "agreement", "ticket", "income", "expense"),
)


def test_basic_declares_the_whole_permission_map() -> None:
    keys = {key for key, _ in declared_permissions(ROUTE_HANDLERS)}
    expected = {
        f"basic.{resource}.{action}" for resource in BASIC_RESOURCES for action in ("view", "create", "edit", "delete")
    }
    expected |= {"basic.dashboard.view", "basic.company.view", "basic.company.edit"}
    expected |= {"basic.offer.send", "basic.offer.decide", "basic.agreement.send", "basic.agreement.sign"}
    expected |= {"basic.expense.submit", "basic.expense.approve", "basic.approval.view", "basic.approval.decide"}
    expected |= {"basic.notification.view", "basic.settlement.view"}
    assert keys == expected


def test_declarations_read_from_the_app_match_the_handlers() -> None:
    app = create_basic_app(Settings())
    assert declared_permissions(app) == declared_permissions(ROUTE_HANDLERS)
    assert all(description for _, description in declared_permissions(app))


def test_catalog_of_every_business_backend_includes_basic() -> None:
    catalog = dict(permission_catalog())
    assert catalog["basic.artist.view"] == "See artists"
    assert all(key.count(".") == 2 for key in catalog)


@pytest.mark.parametrize("role", BUSINESS_ROLES, ids=lambda role: role.value)
def test_catalog_holds_every_permission_of_every_business_backend(role: Role) -> None:
    backend = BUSINESS_BACKENDS[role]
    declared = dict(declared_permissions(backend.route_handlers))
    catalog = dict(permission_catalog())
    assert declared, f"{role.value} declares no permission"
    assert {key: catalog.get(key) for key in declared} == declared


def test_catalog_has_no_module_without_a_registered_backend() -> None:
    modules = {key.split(".", 1)[0] for key, _ in permission_catalog()}
    assert modules == {backend.module for backend in BUSINESS_BACKENDS.values()}


@pytest.mark.parametrize("role", BUSINESS_ROLES, ids=lambda role: role.value)
def test_each_business_role_serves_its_registered_declaration(role: Role) -> None:
    app = app_factory(role)(Settings())
    backend = BUSINESS_BACKENDS[role]
    assert app.state["module"] == backend.module
    assert declared_permissions(app) == declared_permissions(backend.route_handlers)


def test_every_role_has_a_composition_root() -> None:
    assert set(ROLE_APP_FACTORIES) == set(Role)
    assert all(path.startswith(f"kisum.ioc.{role.value}:") for role, path in ROLE_APP_FACTORIES.items())


def test_a_registry_missing_a_business_role_is_refused() -> None:
    without_ai = [backend for backend in BUSINESS_BACKENDS.values() if backend.role is not Role.AI]
    with pytest.raises(BackendDeclarationError, match="without a registered backend: ai"):
        registry_of(*without_ai)


def test_a_backend_listed_twice_is_refused() -> None:
    with pytest.raises(BackendDeclarationError, match="basic: declared twice"):
        registry_of(*BUSINESS_BACKENDS.values(), BUSINESS_BACKENDS[Role.BASIC])


def test_a_backend_without_routes_is_refused() -> None:
    empty = BusinessBackend(role=Role.AI, module="ai", route_handlers=[])
    others = [backend for backend in BUSINESS_BACKENDS.values() if backend.role is not Role.AI]
    with pytest.raises(BackendDeclarationError, match="ai: declares no route"):
        registry_of(*others, empty)


def test_a_backend_without_permissions_never_gives_an_empty_share_of_the_catalog() -> None:
    empty = BusinessBackend(role=Role.AI, module="ai", route_handlers=[])
    with pytest.raises(BackendDeclarationError, match="ai: declares no permission"):
        business_permission_catalog([BUSINESS_BACKENDS[Role.BASIC], empty])


def test_route_without_a_permission_stops_the_app() -> None:
    class Open(Controller):
        path = "/open"

        @get("/")
        async def everything(self) -> None:
            return None

    backend = BusinessBackend(role=Role.BASIC, module="basic", route_handlers=[Open], uses_database=False)
    with pytest.raises(ValueError, match="without a declared permission"):
        create_business_app(backend, Settings())


def test_permission_of_another_module_stops_the_app() -> None:
    class Foreign(Controller):
        path = "/foreign"

        @get("/", opt=requires("finance.invoice.view", "See invoices"))
        async def invoices(self) -> None:
            return None

    backend = BusinessBackend(role=Role.BASIC, module="basic", route_handlers=[Foreign], uses_database=False)
    with pytest.raises(ValueError, match="outside module basic"):
        create_business_app(backend, Settings())


@pytest.mark.parametrize("key", ["basic", "basic.artist", "Basic.artist.view", "basic.artist.*", "basic..view"])
def test_malformed_permission_key_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match=r"module\.resource\.action"):
        requires(key, "something")


@pytest.mark.parametrize(
    "key", ["live-music.set-list.view", "ai.model_2.run", ".".join(["x" * MAX_SEGMENT_LENGTH] * 3), "a-.b_.c9"]
)
def test_a_route_declares_any_key_of_the_domain_grammar(key: str) -> None:
    assert is_valid_key(key)
    assert requires(key, "something")["permission"] == key


@pytest.mark.parametrize(
    "key", ["-basic.artist.view", "basic.-artist.view", "basic.artist.view-2 ", "x" * (MAX_SEGMENT_LENGTH + 1) + ".a.b"]
)
def test_a_route_refuses_what_the_domain_grammar_refuses(key: str) -> None:
    assert not is_valid_key(key)
    with pytest.raises(ValueError, match=r"module\.resource\.action"):
        requires(key, "something")


def test_tenant_repository_cannot_be_built_without_a_company() -> None:
    with pytest.raises(TypeError):
        TenantRepository(session=None, company_id=None)  # type: ignore[arg-type]
    assert TenantRepository(session=None, company_id=uuid.uuid4()).company_id  # type: ignore[arg-type]


def test_a_route_under_api_without_the_enforcement_middleware_refuses_to_start() -> None:
    from kisum.adapters.http.common.enforcement.app import check_enforced
    from tests.adapters.enforcement.conftest import thing_backend

    app = create_business_app(thing_backend(), Settings())
    with pytest.raises(ValueError, match="without enforcement"):
        check_enforced(app, object())  # any other middleware than the one the app was built with


def test_fromdishka_parameters_left_to_litestar_under_api_refuse_to_start() -> None:
    """STYLE pitfall 3: under a plain Router, FromDishka parameters would become query parameters."""

    class Plain(Controller):
        path = "/plain"

        @get("/", opt=requires("basic.thing.view", "See things"))
        async def plain(self, context: FromDishka[AccessContext]) -> None:
            return None

    with pytest.raises(ValueError, match="FromDishka parameters not injected"):
        check_injected(Litestar(route_handlers=[Router(path="/api", route_handlers=[Plain])]))
    check_injected(create_business_app(thing_backend(), Settings()))  # the kit's own router injects


def test_access_is_never_a_query_parameter() -> None:
    """``access: Access`` is injected under /api, so the OpenAPI document asks nothing for it."""
    document = create_business_app(thing_backend(), Settings()).openapi_schema.to_schema()
    for item in document["paths"].values():
        for operation in item.values():
            names = {parameter["name"] for parameter in operation.get("parameters", [])}
            assert not names & {"access", "request", "context"}
