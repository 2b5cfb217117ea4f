"""Core → auth: ``POST {auth}/internal/events/entitlements-changed`` with service auth."""

from __future__ import annotations

from uuid import UUID

import httpx
import msgspec

from kisum.adapters.contracts.events import ENTITLEMENTS_CHANGED_PATH, EntitlementsChangedBody
from kisum.adapters.request_context import current_request_id


class DeliveryFailed(Exception):
    """Auth did not take the event (unreachable, slow, or not a 2xx); it will be retried."""


class AuthEntitlementEventsSender:
    """Sends one event; any answer but a 2xx is a failure to retry later."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def send(self, company_id: UUID, entitlement_version: int) -> None:
        headers = {"content-type": "application/json"}
        request_id = current_request_id()
        if request_id:
            headers["x-request-id"] = request_id
        body = EntitlementsChangedBody(company_id=company_id, entitlement_version=entitlement_version)
        try:
            response = await self._client.post(
                ENTITLEMENTS_CHANGED_PATH, content=msgspec.json.encode(body), headers=headers
            )
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"auth unreachable: {error!r}") from error
        if not response.is_success:
            raise DeliveryFailed(f"auth answered {response.status_code}: {response.text[:200]}")
