"""Auth → business backends: a member's effective access in one company (DESIGN §2 and §4).

Auth answers ``GET /auth/me/access`` (the caller's bearer token and ``x-org``) with ``AccessOut``;
every business backend's enforcement kit decodes the same Struct. Fields a backend does not know
are ignored, so auth can add some without a lockstep release.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from kisum.adapters.contracts.wire import Out

ACCESS_PATH = "/auth/me/access"


class DelegationOut(Out):
    can_manage_members: bool
    modules: list[str]
    permissions: list[str]


class AccessOut(Out):
    """DESIGN §4's access model (what the business backends' enforcement kit decodes)."""

    user_id: UUID
    company_id: UUID
    membership_id: UUID
    role: str
    modules: list[str]
    permissions: list[str]
    delegation: DelegationOut
    entitlement_version: int
    access_version: str
    valid_until: datetime | None
