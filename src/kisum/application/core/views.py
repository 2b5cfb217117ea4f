"""Read models: what queries and commands hand back to the adapters (never aggregates)."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from kisum.domain.core.catalog import Addon, Module, Offer, Package
from kisum.domain.core.company import Company


@dataclass(frozen=True, slots=True)
class ModuleView:
    key: str
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, module: Module) -> ModuleView:
        return cls(module.key, module.name, module.description, module.created_at, module.updated_at)


@dataclass(frozen=True, slots=True)
class OfferView:
    key: str
    name: str
    description: str | None
    modules: tuple[str, ...]
    created_at: datetime
    updated_at: datetime


def _offer_fields(offer: Offer) -> tuple[str, str, str | None, tuple[str, ...], datetime, datetime]:
    return offer.key, offer.name, offer.description, tuple(sorted(offer.modules)), offer.created_at, offer.updated_at


@dataclass(frozen=True, slots=True)
class PackageView(OfferView):
    @classmethod
    def of(cls, package: Package) -> PackageView:
        return cls(*_offer_fields(package))


@dataclass(frozen=True, slots=True)
class AddonView(OfferView):
    @classmethod
    def of(cls, addon: Addon) -> AddonView:
        return cls(*_offer_fields(addon))


@dataclass(frozen=True, slots=True)
class CompanyView:
    id: UUID
    name: str
    status: str
    entitlement_version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, company: Company) -> CompanyView:
        return cls(
            company.id,
            company.name,
            company.status.value,
            company.entitlement_version,
            company.created_at,
            company.updated_at,
        )


@dataclass(frozen=True, slots=True)
class BasicView:
    package_key: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None


@dataclass(frozen=True, slots=True)
class AddonSubscriptionView:
    addon_key: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    modules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntitlementsView:
    company_id: UUID
    entitlement_version: int
    basic: BasicView | None
    addons: tuple[AddonSubscriptionView, ...]
    enabled_modules: tuple[str, ...]
    valid_until: datetime | None

    @classmethod
    def of(
        cls,
        company: Company,
        at: datetime,
        package_modules: Mapping[str, Set[str]],
        addon_modules: Mapping[str, Set[str]],
    ) -> EntitlementsView:
        entitlements = company.entitlements(at, package_modules, addon_modules)
        basic = company.basic
        return cls(
            company_id=company.id,
            entitlement_version=company.entitlement_version,
            basic=None
            if basic is None
            else BasicView(
                basic.package_key, basic.terms.status.value, basic.terms.window.starts_at, basic.terms.window.ends_at
            ),
            addons=tuple(
                AddonSubscriptionView(
                    addon.addon_key,
                    addon.terms.status.value,
                    addon.terms.window.starts_at,
                    addon.terms.window.ends_at,
                    tuple(sorted(addon_modules.get(addon.addon_key, frozenset()))),
                )
                for addon in (company.addons[key] for key in sorted(company.addons))
            ),
            enabled_modules=entitlements.enabled_modules,
            valid_until=entitlements.valid_until,
        )
