"""The Base backend (port 3099): the enforcement kit + the basic module's controllers and persistence.

Its declaration; the app is assembled by its composition root, ``kisum.ioc.basic``."""

from __future__ import annotations

from kisum.adapters.http.basic.controllers import ROUTE_HANDLERS, FileController
from kisum.adapters.http.common.enforcement import BusinessBackend
from kisum.config import Role

MODULE = "basic"

BACKEND = BusinessBackend(
    role=Role.BASIC,
    module=MODULE,
    route_handlers=ROUTE_HANDLERS,
    upload_controllers=[FileController],
    description="Base backend: artists, events, agencies, vendors, venues, tasks, files, dashboard.",
)
