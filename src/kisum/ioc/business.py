"""The composition of every business backend: the kit's container plus the backend's own providers.

``create_business_app(BACKEND, settings, providers=[...])`` builds one container (settings,
clock and ids, the enforcement kit, the role's database if the backend uses one, the backend's
providers) and hands it with the declaration to the kit's ``build_business_app``.
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx
from dishka import AsyncContainer, Provider, make_async_container
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar

from kisum.adapters.http.common.enforcement import BusinessBackend, EnforcementProvider, build_business_app
from kisum.config import Settings, load_settings
from kisum.ioc.common import DatabaseProvider, SettingsProvider, SystemProvider


def make_container(
    backend: BusinessBackend,
    settings: Settings,
    providers: Sequence[Provider] = (),
    *,
    auth_http: httpx.AsyncClient | None = None,
) -> AsyncContainer:
    """``auth_http``: a client to reach auth with (tests); its owner closes it. None: the kit opens one."""
    shared: list[Provider] = [
        SettingsProvider(),
        SystemProvider(),
        LitestarProvider(),
        EnforcementProvider(backend.module, auth_http),
    ]
    if backend.uses_database:
        shared.append(DatabaseProvider(backend.role))
    return make_async_container(*shared, *providers, context={Settings: settings})


def create_business_app(
    backend: BusinessBackend,
    settings: Settings | None = None,
    *,
    providers: Sequence[Provider] = (),
    auth_http: httpx.AsyncClient | None = None,
) -> Litestar:
    settings = settings or load_settings()
    container = make_container(backend, settings, providers, auth_http=auth_http)
    return build_business_app(backend, settings, container)
