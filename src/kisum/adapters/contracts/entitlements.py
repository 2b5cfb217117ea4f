"""Core → auth, admin: a company's entitlements (``GET /internal/companies/{id}/entitlements``), and
the subscription changes that answer with them (``POST …/basic``, ``POST …/addons``).

Auth reads ``enabledModules`` and ``validUntil`` (caches never outlive it); admin proxies all of it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from kisum.adapters.contracts.catalog import Key
from kisum.adapters.contracts.wire import AwareDatetime, Body, Out

SubscriptionStatusValue = Literal["active", "trialing", "past_due", "canceled", "expired"]


class BasicBody(Body):
    """``activate`` takes status active|trialing (default active); ``deactivate`` an inactive one
    (default canceled). On activate the window is replaced (omitted bounds are open); on
    deactivate it is kept unless startsAt or endsAt is given."""

    action: Literal["activate", "deactivate"]
    package_key: Key | None = None
    status: SubscriptionStatusValue | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None


class AddonChangeBody(Body):
    addon_key: Key
    action: Literal["activate", "deactivate"]
    status: SubscriptionStatusValue | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None


class BasicOut(Out):
    package_key: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None


class AddonSubscriptionOut(Out):
    addon_key: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    modules: list[str]


class EntitlementsOut(Out):
    company_id: UUID
    entitlement_version: int
    basic: BasicOut | None
    addons: list[AddonSubscriptionOut]
    enabled_modules: list[str]
    valid_until: datetime | None
