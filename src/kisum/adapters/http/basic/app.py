"""The Base backend (port 3099): the enforcement kit + the basic module's controllers and persistence."""

from __future__ import annotations

import httpx
from litestar import Litestar

from kisum.adapters.http.basic.controllers import ROUTE_HANDLERS, FileController
from kisum.adapters.http.common.enforcement import BusinessBackend, create_business_app
from kisum.config import Role, Settings, load_settings
from kisum.ioc.basic import BasicProvider

MODULE = "basic"
MULTIPART_OVERHEAD_BYTES = 64 * 1024


def backend(settings: Settings) -> BusinessBackend:
    # The upload limit comes from the settings, so the file routes get it at build time.
    sized_files = type(
        "FileController",
        (FileController,),
        {"request_max_body_size": settings.file_max_bytes + MULTIPART_OVERHEAD_BYTES},
    )
    handlers = [sized_files if handler is FileController else handler for handler in ROUTE_HANDLERS]
    return BusinessBackend(
        role=Role.BASIC,
        module=MODULE,
        route_handlers=handlers,
        providers=[BasicProvider()],
        description="Base backend: artists, events, agencies, vendors, venues, tasks, files, dashboard.",
    )


def create_app(settings: Settings | None = None, *, auth_http: httpx.AsyncClient | None = None) -> Litestar:
    settings = settings or load_settings()
    return create_business_app(backend(settings), settings, auth_http=auth_http)
