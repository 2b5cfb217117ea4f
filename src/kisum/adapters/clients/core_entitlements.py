"""Auth's ``EntitlementsGateway``: core's ``GET /internal/companies/{id}/entitlements``.

Core is the commercial truth; auth never computes entitlements. Every way core can fail to give
a usable answer (down, slow, 5xx, refusing our credentials, malformed, another company) is
``EntitlementsUnavailable`` (503 ``ENTITLEMENTS_UNAVAILABLE``): access is refused, never guessed.
A company core does not know has no enabled modules.
"""

from __future__ import annotations

import logging
from uuid import UUID

from kisum.adapters.clients.core_client import CoreClient
from kisum.domain.auth.access import Entitlements
from kisum.domain.auth.errors import EntitlementsUnavailable
from kisum.domain.errors import DomainError, NotFound

logger = logging.getLogger("kisum.auth.entitlements")


class CoreEntitlementsGateway:
    """Implements ``kisum.application.auth.ports.EntitlementsGateway``."""

    def __init__(self, core: CoreClient) -> None:
        self._core = core

    async def get(self, company_id: UUID) -> Entitlements:
        try:
            answer = await self._core.get_entitlements(company_id)
        except NotFound:
            return Entitlements(
                company_id=company_id, entitlement_version=0, enabled_modules=frozenset(), valid_until=None
            )
        except DomainError as error:
            logger.warning("core could not give entitlements", extra={"companyId": str(company_id), "code": error.code})
            raise EntitlementsUnavailable() from error
        if answer.company_id != company_id:
            raise EntitlementsUnavailable("Core answered for another company.")
        try:
            return Entitlements(
                company_id=answer.company_id,
                entitlement_version=answer.entitlement_version,
                enabled_modules=frozenset(answer.enabled_modules),
                valid_until=answer.valid_until,
            )
        except (DomainError, ValueError, TypeError) as error:  # e.g. a module name that is not one
            logger.warning("core's entitlements are malformed", extra={"companyId": str(company_id)})
            raise EntitlementsUnavailable() from error
