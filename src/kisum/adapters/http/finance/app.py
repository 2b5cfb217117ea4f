"""The finance backend (port 3100): the enforcement kit + event budgets and settlements."""

from __future__ import annotations

import httpx
from litestar import Litestar

from kisum.adapters.http.common.enforcement import BusinessBackend, create_business_app
from kisum.adapters.http.finance.controllers import ROUTE_HANDLERS
from kisum.config import Role, Settings, load_settings
from kisum.ioc.finance import FinanceProvider

MODULE = "finance"


def backend() -> BusinessBackend:
    return BusinessBackend(
        role=Role.FINANCE,
        module=MODULE,
        route_handlers=ROUTE_HANDLERS,
        providers=[FinanceProvider()],
        description="Finance backend: event budget lines (income, expenses) and settlements per currency.",
    )


def create_app(settings: Settings | None = None, *, auth_http: httpx.AsyncClient | None = None) -> Litestar:
    return create_business_app(backend(), settings or load_settings(), auth_http=auth_http)
