"""The finance backend (port 3100): the enforcement kit + event budgets and settlements.

Its declaration; the app is assembled by its composition root, ``kisum.ioc.finance``."""

from __future__ import annotations

from kisum.adapters.http.common.enforcement import BusinessBackend
from kisum.adapters.http.finance.controllers import ROUTE_HANDLERS
from kisum.config import Role

MODULE = "finance"

BACKEND = BusinessBackend(
    role=Role.FINANCE,
    module=MODULE,
    route_handlers=ROUTE_HANDLERS,
    description="Finance backend: event budget lines (income, expenses) and settlements per currency.",
)
