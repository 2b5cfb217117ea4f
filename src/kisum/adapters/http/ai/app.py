"""The ai backend (port 3104): the enforcement kit + suggestions from a local, deterministic provider.

Its declaration; the app is assembled by its composition root, ``kisum.ioc.ai``."""

from __future__ import annotations

from kisum.adapters.http.ai.controllers import ROUTE_HANDLERS
from kisum.adapters.http.common.enforcement import BusinessBackend
from kisum.config import Role

MODULE = "ai"

BACKEND = BusinessBackend(
    role=Role.AI,
    module=MODULE,
    route_handlers=ROUTE_HANDLERS,
    description="AI backend: setlist, event-description and pricing suggestions, with a history per company.",
)
