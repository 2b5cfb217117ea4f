"""Bodies (``…Body``) and answers (``…Out``) of the Base API that are not a declared resource's.

Every declared resource's structs are derived in ``resources.py``; the dashboard's counts follow
the declarations too, so a new resource is counted without touching this file.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from kisum.adapters.http.basic.resources import STRUCTS
from kisum.adapters.http.common.schemas import Body, Out
from kisum.domain.business.records import RECORD_TYPES, CompanyProfile, ResourceKind

CompanyProfileChangesBody = msgspec.defstruct(
    "CompanyProfileChangesBody",
    [(name, str | msgspec.UnsetType | None, msgspec.UNSET) for name in CompanyProfile.RULES],
    bases=(Body,),
    module=__name__,
)
CompanyProfileOut = msgspec.defstruct(
    "CompanyProfileOut",
    [("id", UUID), *((name, str | None) for name in CompanyProfile.RULES), ("updated_at", datetime | None)],
    bases=(Out,),
    module=__name__,
)

EventOut = STRUCTS[ResourceKind.EVENT].out

DashboardCounts = msgspec.defstruct(
    "DashboardCounts",
    [
        *((t.DECLARATION.plural, int) for t in RECORD_TYPES.values() if t.DECLARATION.counted),
        ("open_tasks", int),
        ("upcoming_events", int),
    ],
    bases=(Out,),
    module=__name__,
)


class DashboardOut(Out):
    counts: DashboardCounts  # type: ignore[valid-type]
    upcoming_events: list[EventOut]  # type: ignore[valid-type]


class MyAccessOut(Out):
    user_id: UUID
    company_id: UUID
    membership_id: UUID
    role: str
    modules: list[str]
    permissions: list[str]


# --- Approvals and notifications ---------------------------------------------------------------


class ApproveBody(Body):
    reason: str | None = None


class RejectBody(Body):
    reason: str


class SubjectOut(Out):
    kind: str
    id: UUID


class NotificationOut(Out):
    id: UUID
    kind: str
    subject: SubjectOut
    text: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Out):
    items: list[NotificationOut]
    page: int
    limit: int
    total: int


class ReadAllOut(Out):
    marked: int


class PayoutOut(Out):
    offer_id: UUID
    artist_id: UUID
    deal_type: str
    amount: int


class SettlementOut(Out):
    """Computed on request, never stored; integers in minor units of ``currency``."""

    event_id: UUID
    currency: str | None
    ticket_gross: int
    other_income: int
    approved_expenses: int
    pending_expenses: int
    net: int
    payouts: list[PayoutOut]
    promoter_result: int
