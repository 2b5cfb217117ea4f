"""The touring backend (port 3102): the enforcement kit + tours and their dated legs.

Its declaration; the app is assembled by its composition root, ``kisum.ioc.touring``."""

from __future__ import annotations

from kisum.adapters.http.common.enforcement import BusinessBackend
from kisum.adapters.http.touring.controllers import ROUTE_HANDLERS
from kisum.config import Role

MODULE = "touring"

BACKEND = BusinessBackend(
    role=Role.TOURING,
    module=MODULE,
    route_handlers=ROUTE_HANDLERS,
    description="Touring backend: tours and their legs, one show per date.",
)
