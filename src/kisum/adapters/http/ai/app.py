"""The ai backend (port 3104): the enforcement kit + suggestions from a local, deterministic provider."""

from __future__ import annotations

import httpx
from litestar import Litestar

from kisum.adapters.http.ai.controllers import ROUTE_HANDLERS
from kisum.adapters.http.common.enforcement import BusinessBackend, create_business_app
from kisum.config import Role, Settings, load_settings
from kisum.ioc.ai import AiProvider

MODULE = "ai"


def backend() -> BusinessBackend:
    return BusinessBackend(
        role=Role.AI,
        module=MODULE,
        route_handlers=ROUTE_HANDLERS,
        providers=[AiProvider()],
        description="AI backend: setlist, event-description and pricing suggestions, with a history per company.",
    )


def create_app(settings: Settings | None = None, *, auth_http: httpx.AsyncClient | None = None) -> Litestar:
    return create_business_app(backend(), settings or load_settings(), auth_http=auth_http)
