"""The venue backend (port 3103): the enforcement kit + venue calendar holds.

Its declaration; the app is assembled by its composition root, ``kisum.ioc.venue``."""

from __future__ import annotations

from kisum.adapters.http.common.enforcement import BusinessBackend
from kisum.adapters.http.venue.controllers import ROUTE_HANDLERS
from kisum.config import Role

MODULE = "venue"

BACKEND = BusinessBackend(
    role=Role.VENUE,
    module=MODULE,
    route_handlers=ROUTE_HANDLERS,
    description="Venue backend: calendar holds per venue; confirmed holds never overlap.",
)
