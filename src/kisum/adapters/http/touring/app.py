"""The touring backend (port 3102): the enforcement kit + tours and their dated legs."""

from __future__ import annotations

import httpx
from litestar import Litestar

from kisum.adapters.http.common.enforcement import BusinessBackend, create_business_app
from kisum.adapters.http.touring.controllers import ROUTE_HANDLERS
from kisum.config import Role, Settings, load_settings
from kisum.ioc.touring import TouringProvider

MODULE = "touring"


def backend() -> BusinessBackend:
    return BusinessBackend(
        role=Role.TOURING,
        module=MODULE,
        route_handlers=ROUTE_HANDLERS,
        providers=[TouringProvider()],
        description="Touring backend: tours and their legs, one show per date.",
    )


def create_app(settings: Settings | None = None, *, auth_http: httpx.AsyncClient | None = None) -> Litestar:
    return create_business_app(backend(), settings or load_settings(), auth_http=auth_http)
