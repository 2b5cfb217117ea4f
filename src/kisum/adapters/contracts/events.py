"""Core → auth: a company's entitlements changed (sent by core's outbox, retried until auth takes it).

Auth drops its cached entitlements and access models of that company.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from kisum.adapters.contracts.wire import Body

ENTITLEMENTS_CHANGED_PATH = "/internal/events/entitlements-changed"


class EntitlementsChangedBody(Body):
    """What core's outbox sends (``kisum.adapters.clients.entitlement_events``)."""

    company_id: UUID
    entitlement_version: Annotated[int, msgspec.Meta(ge=0)]
