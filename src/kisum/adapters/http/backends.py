"""Every business backend, listed once: the permission catalog and the business roles read this list.

Adding a module backend = its declaration in ``kisum.adapters.http.<role>.app`` (``BACKEND``), one
line here, and its composition root in ``kisum.ioc``. A business role missing here, a backend
listed twice, or one that declares no permission stops start-up (``BackendDeclarationError``).
"""

from __future__ import annotations

from collections.abc import Mapping

from kisum.adapters.http.ai.app import BACKEND as AI
from kisum.adapters.http.basic.app import BACKEND as BASIC
from kisum.adapters.http.common.enforcement import BusinessBackend, business_permission_catalog, registry_of
from kisum.adapters.http.finance.app import BACKEND as FINANCE
from kisum.adapters.http.market.app import BACKEND as MARKET
from kisum.adapters.http.touring.app import BACKEND as TOURING
from kisum.adapters.http.venue.app import BACKEND as VENUE
from kisum.config import Role

BUSINESS_BACKENDS: Mapping[Role, BusinessBackend] = registry_of(BASIC, FINANCE, MARKET, TOURING, VENUE, AI)


def permission_catalog() -> list[tuple[str, str]]:
    """Every permission a business route declares, with its description: what auth seeds its catalog with."""
    return business_permission_catalog(BUSINESS_BACKENDS.values())
