"""Bodies (``…Body``) and responses (``…Out``) of core's internal API, in camelCase.

The core client (``kisum.adapters.clients.core_client``) decodes into the same Structs, so the
wire contract is written once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from kisum.adapters.http.common.schemas import Body, Out
from kisum.application.core.views import (
    AddonView,
    CompanyView,
    EntitlementsView,
    ModuleView,
    OfferView,
    PackageView,
)
from kisum.domain.paging import Page

AwareDatetime = Annotated[datetime, msgspec.Meta(tz=True)]
Key = Annotated[str, msgspec.Meta(min_length=1, max_length=48)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Description = Annotated[str, msgspec.Meta(max_length=2000)]
ModuleKeys = Annotated[list[Key], msgspec.Meta(min_length=1, max_length=100)]


# --- catalog ---------------------------------------------------------------------------------


class ModuleBody(Body):
    key: Key
    name: Name | None = None
    description: Description | None = None


class ModulePatchBody(Body):
    name: Name | UnsetType = UNSET
    description: Description | UnsetType | None = UNSET


class ModuleOut(Out):
    key: str
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: ModuleView) -> ModuleOut:
        return cls(
            key=view.key,
            name=view.name,
            description=view.description,
            created_at=view.created_at,
            updated_at=view.updated_at,
        )


class OfferBody(Body):
    key: Key
    modules: ModuleKeys
    name: Name | None = None
    description: Description | None = None


class OfferPatchBody(Body):
    name: Name | UnsetType = UNSET
    description: Description | UnsetType | None = UNSET
    modules: ModuleKeys | UnsetType = UNSET


class PackageBody(OfferBody):
    pass


class PackagePatchBody(OfferPatchBody):
    pass


class AddonBody(OfferBody):
    pass


class AddonPatchBody(OfferPatchBody):
    pass


class OfferOut(Out):
    key: str
    name: str
    description: str | None
    modules: list[str]
    created_at: datetime
    updated_at: datetime


def _offer_fields(view: OfferView) -> dict[str, object]:
    return {
        "key": view.key,
        "name": view.name,
        "description": view.description,
        "modules": list(view.modules),
        "created_at": view.created_at,
        "updated_at": view.updated_at,
    }


class PackageOut(OfferOut):
    @classmethod
    def of(cls, view: PackageView) -> PackageOut:
        return cls(**_offer_fields(view))  # type: ignore[arg-type]


class AddonOut(OfferOut):
    @classmethod
    def of(cls, view: AddonView) -> AddonOut:
        return cls(**_offer_fields(view))  # type: ignore[arg-type]


class ModulePageOut(Out):
    items: list[ModuleOut]
    page: int
    limit: int
    total: int

    @classmethod
    def of(cls, page: Page[ModuleView]) -> ModulePageOut:
        return cls(items=[ModuleOut.of(v) for v in page.items], page=page.page, limit=page.limit, total=page.total)


class PackagePageOut(Out):
    items: list[PackageOut]
    page: int
    limit: int
    total: int

    @classmethod
    def of(cls, page: Page[PackageView]) -> PackagePageOut:
        return cls(items=[PackageOut.of(v) for v in page.items], page=page.page, limit=page.limit, total=page.total)


class AddonPageOut(Out):
    items: list[AddonOut]
    page: int
    limit: int
    total: int

    @classmethod
    def of(cls, page: Page[AddonView]) -> AddonPageOut:
        return cls(items=[AddonOut.of(v) for v in page.items], page=page.page, limit=page.limit, total=page.total)


# --- companies -------------------------------------------------------------------------------


class CompanyBody(Body):
    name: Name


class CompanyOut(Out):
    id: UUID
    name: str
    status: str
    entitlement_version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: CompanyView) -> CompanyOut:
        return cls(
            id=view.id,
            name=view.name,
            status=view.status,
            entitlement_version=view.entitlement_version,
            created_at=view.created_at,
            updated_at=view.updated_at,
        )


class CompanyPageOut(Out):
    items: list[CompanyOut]
    page: int
    limit: int
    total: int

    @classmethod
    def of(cls, page: Page[CompanyView]) -> CompanyPageOut:
        return cls(items=[CompanyOut.of(v) for v in page.items], page=page.page, limit=page.limit, total=page.total)


# --- subscriptions and entitlements ----------------------------------------------------------

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

    @classmethod
    def of(cls, view: EntitlementsView) -> EntitlementsOut:
        basic = view.basic
        return cls(
            company_id=view.company_id,
            entitlement_version=view.entitlement_version,
            basic=None
            if basic is None
            else BasicOut(
                package_key=basic.package_key, status=basic.status, starts_at=basic.starts_at, ends_at=basic.ends_at
            ),
            addons=[
                AddonSubscriptionOut(
                    addon_key=a.addon_key,
                    status=a.status,
                    starts_at=a.starts_at,
                    ends_at=a.ends_at,
                    modules=list(a.modules),
                )
                for a in view.addons
            ],
            enabled_modules=list(view.enabled_modules),
            valid_until=view.valid_until,
        )
