"""A minimal backend on the kit (no database) in front of the auth double."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from dishka.integrations.litestar import FromDishka
from litestar import Controller, Litestar, get
from litestar.testing import AsyncTestClient

from kisum.adapters.http.common.enforcement import Access, AccessContext, BusinessBackend, requires
from kisum.config import Role, Settings
from kisum.ioc.business import create_business_app
from tests.support.auth_double import AuthDouble


class ThingController(Controller):
    path = "/things"

    @get("/", opt=requires("basic.thing.view", "See things"))
    async def list_things(self, access: Access) -> dict[str, Any]:
        return {
            "userId": str(access.user_id),
            "companyId": str(access.company_id),
            "membershipId": str(access.membership_id),
            "role": access.role,
            "permissions": sorted(access.permissions),
        }

    @get("/container", opt=requires("basic.thing.view", "See things"))
    async def from_container(self, access: FromDishka[AccessContext]) -> dict[str, str]:
        """The same context through dishka, as a provider that needs it would get it."""
        return {"companyId": str(access.company_id)}

    @get("/secret", opt=requires("basic.thing.delete", "Delete things"))
    async def secret(self) -> dict[str, str]:
        return {"ok": "yes"}


def thing_backend() -> BusinessBackend:
    return BusinessBackend(role=Role.BASIC, module="basic", route_handlers=[ThingController], uses_database=False)


@dataclass
class Kit:
    double: AuthDouble
    client: AsyncTestClient[Litestar]
    app: Litestar


KitFactory = Callable[..., Any]


@pytest.fixture
def make_kit() -> Callable[..., Any]:
    """``async with make_kit(**settings) as kit``: the app, its test client and the auth double."""
    import contextlib

    @contextlib.asynccontextmanager
    async def build(double: AuthDouble | None = None, **overrides: Any) -> AsyncIterator[Kit]:
        double = double or AuthDouble()
        settings = Settings(**{"internal_call_timeout_seconds": 0.5, **overrides})
        http = double.client()
        app = create_business_app(thing_backend(), settings, auth_http=http)
        try:
            async with AsyncTestClient(app=app) as client:
                yield Kit(double, client, app)
        finally:
            await http.aclose()

    return build


@pytest.fixture
async def kit(make_kit: Callable[..., Any]) -> AsyncIterator[Kit]:
    async with make_kit() as built:
        yield built
