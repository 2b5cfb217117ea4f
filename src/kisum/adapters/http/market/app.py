"""The market backend (port 3101): the enforcement kit + marketing campaigns per event.

Its declaration; the app is assembled by its composition root, ``kisum.ioc.market``."""

from __future__ import annotations

from kisum.adapters.http.common.enforcement import BusinessBackend
from kisum.adapters.http.market.controllers import ROUTE_HANDLERS
from kisum.config import Role

MODULE = "market"

BACKEND = BusinessBackend(
    role=Role.MARKET,
    module=MODULE,
    route_handlers=ROUTE_HANDLERS,
    description="Market backend: promotion campaigns per event and their life cycle.",
)
