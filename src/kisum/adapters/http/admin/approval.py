"""Approving a company with its owner: core's company registry + auth's owner membership.

All-or-nothing from the caller's view, by idempotency rather than a distributed transaction:

1. the company must exist (404 otherwise) and be pending, approved or suspended;
2. auth creates (or finds) the owner membership — idempotent on (company, email), so a retry
   after a lost answer returns the same user and membership and creates nothing twice;
3. core approves the company unless it already is approved (an approval that raced with ours
   and lost to it is fine too).

If step 2 fails, nothing has changed in core and the caller gets the error; if step 3 fails
after step 2, the owner exists for a still-pending company (no entitlements, so no access) and
the same request, retried, completes the approval.
"""

from __future__ import annotations

from uuid import UUID

from kisum.adapters.clients.auth_client import AuthClient
from kisum.adapters.clients.core_client import CoreClient
from kisum.adapters.http.admin.schemas import ApprovalOut, OwnerInput
from kisum.domain.errors import Conflict

APPROVED = "approved"


async def approve_with_owner(core: CoreClient, auth: AuthClient, company_id: UUID, owner: OwnerInput) -> ApprovalOut:
    company = await core.get_company(company_id)
    created = await auth.create_owner(company_id, email=owner.email, name=owner.name, password=owner.password)
    if company.status != APPROVED:
        try:
            company = await core.approve_company(company_id)
        except Conflict:
            company = await core.get_company(company_id)
            if company.status != APPROVED:
                raise
    return ApprovalOut(company=company, owner=created)
