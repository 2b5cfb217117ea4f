"""The market backend (port 3101): the enforcement kit + marketing campaigns per event."""

from __future__ import annotations

import httpx
from litestar import Litestar

from kisum.adapters.http.common.enforcement import BusinessBackend, create_business_app
from kisum.adapters.http.market.controllers import ROUTE_HANDLERS
from kisum.config import Role, Settings, load_settings
from kisum.ioc.market import MarketProvider

MODULE = "market"


def backend() -> BusinessBackend:
    return BusinessBackend(
        role=Role.MARKET,
        module=MODULE,
        route_handlers=ROUTE_HANDLERS,
        providers=[MarketProvider()],
        description="Market backend: promotion campaigns per event and their life cycle.",
    )


def create_app(settings: Settings | None = None, *, auth_http: httpx.AsyncClient | None = None) -> Litestar:
    return create_business_app(backend(), settings or load_settings(), auth_http=auth_http)
