"""The venue backend (port 3103): the enforcement kit + venue calendar holds."""

from __future__ import annotations

import httpx
from litestar import Litestar

from kisum.adapters.http.common.enforcement import BusinessBackend, create_business_app
from kisum.adapters.http.venue.controllers import ROUTE_HANDLERS
from kisum.config import Role, Settings, load_settings
from kisum.ioc.venue import VenueProvider

MODULE = "venue"


def backend() -> BusinessBackend:
    return BusinessBackend(
        role=Role.VENUE,
        module=MODULE,
        route_handlers=ROUTE_HANDLERS,
        providers=[VenueProvider()],
        description="Venue backend: calendar holds per venue; confirmed holds never overlap.",
    )


def create_app(settings: Settings | None = None, *, auth_http: httpx.AsyncClient | None = None) -> Litestar:
    return create_business_app(backend(), settings or load_settings(), auth_http=auth_http)
