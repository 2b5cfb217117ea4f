"""Core → auth: ``POST {auth}/internal/events/entitlements-changed`` with service auth."""

from __future__ import annotations

from uuid import UUID

import httpx

from kisum.adapters.http.common.context import current_request_id

ENTITLEMENTS_CHANGED_PATH = "/internal/events/entitlements-changed"


class DeliveryFailed(Exception):
    """Auth did not take the event (unreachable, slow, or not a 2xx); it will be retried."""


class AuthEntitlementEventsSender:
    """Sends one event; any answer but a 2xx is a failure to retry later."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def send(self, company_id: UUID, entitlement_version: int) -> None:
        headers = {}
        request_id = current_request_id()
        if request_id:
            headers["x-request-id"] = request_id
        try:
            response = await self._client.post(
                ENTITLEMENTS_CHANGED_PATH,
                json={"companyId": str(company_id), "entitlementVersion": entitlement_version},
                headers=headers,
            )
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"auth unreachable: {error!r}") from error
        if not response.is_success:
            raise DeliveryFailed(f"auth answered {response.status_code}: {response.text[:200]}")
