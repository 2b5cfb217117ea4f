"""Core's answers from its read models. The bodies and answers themselves are wire contracts
(``kisum.adapters.contracts``: ``catalog``, ``companies``, ``entitlements``), which core's clients
decode too."""

from __future__ import annotations

from kisum.adapters.contracts.catalog import (
    AddonOut,
    AddonPageOut,
    ModuleOut,
    ModulePageOut,
    PackageOut,
    PackagePageOut,
)
from kisum.adapters.contracts.companies import CompanyOut, CompanyPageOut
from kisum.adapters.contracts.entitlements import AddonSubscriptionOut, BasicOut, EntitlementsOut
from kisum.application.core.views import (
    AddonView,
    CompanyView,
    EntitlementsView,
    ModuleView,
    OfferView,
    PackageView,
)
from kisum.domain.paging import Page

# --- catalog ---------------------------------------------------------------------------------


def module_out(view: ModuleView) -> ModuleOut:
    return ModuleOut(
        key=view.key,
        name=view.name,
        description=view.description,
        created_at=view.created_at,
        updated_at=view.updated_at,
    )


def _offer_fields(view: OfferView) -> dict[str, object]:
    return {
        "key": view.key,
        "name": view.name,
        "description": view.description,
        "modules": list(view.modules),
        "created_at": view.created_at,
        "updated_at": view.updated_at,
    }


def package_out(view: PackageView) -> PackageOut:
    return PackageOut(**_offer_fields(view))  # type: ignore[arg-type]


def addon_out(view: AddonView) -> AddonOut:
    return AddonOut(**_offer_fields(view))  # type: ignore[arg-type]


def module_page_out(page: Page[ModuleView]) -> ModulePageOut:
    return ModulePageOut(items=[module_out(v) for v in page.items], page=page.page, limit=page.limit, total=page.total)


def package_page_out(page: Page[PackageView]) -> PackagePageOut:
    return PackagePageOut(
        items=[package_out(v) for v in page.items], page=page.page, limit=page.limit, total=page.total
    )


def addon_page_out(page: Page[AddonView]) -> AddonPageOut:
    return AddonPageOut(items=[addon_out(v) for v in page.items], page=page.page, limit=page.limit, total=page.total)


# --- companies -------------------------------------------------------------------------------


def company_out(view: CompanyView) -> CompanyOut:
    return CompanyOut(
        id=view.id,
        name=view.name,
        status=view.status,
        entitlement_version=view.entitlement_version,
        created_at=view.created_at,
        updated_at=view.updated_at,
    )


def company_page_out(page: Page[CompanyView]) -> CompanyPageOut:
    return CompanyPageOut(
        items=[company_out(v) for v in page.items], page=page.page, limit=page.limit, total=page.total
    )


# --- subscriptions and entitlements ----------------------------------------------------------


def entitlements_out(view: EntitlementsView) -> EntitlementsOut:
    basic = view.basic
    return EntitlementsOut(
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
