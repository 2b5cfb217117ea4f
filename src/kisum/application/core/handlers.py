"""One handler per command: load, let the domain decide, commit once, then tell auth.

Every entitlement change is written with its outbox event in the same transaction; the
notifier runs only after the commit succeeded, and never fails the request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from uuid import UUID

from kisum.application.core.commands import (
    ActivateAddon,
    ActivateBasic,
    ApproveCompany,
    CreateAddon,
    CreateCompany,
    CreateModule,
    CreatePackage,
    DeactivateAddon,
    DeactivateBasic,
    DeleteAddon,
    DeleteModule,
    DeletePackage,
    SuspendCompany,
    UpdateAddon,
    UpdateModule,
    UpdatePackage,
)
from kisum.application.core.ports import CoreUnitOfWork, EntitlementsChangedNotifier
from kisum.application.core.views import AddonView, CompanyView, EntitlementsView, ModuleView, PackageView
from kisum.application.ports import Clock, IdGenerator
from kisum.domain.core.catalog import Addon, Module, Package, ensure_modules_exist
from kisum.domain.core.company import Company, EntitlementsChanged
from kisum.domain.core.errors import (
    AddonNotFound,
    CompanyNotFound,
    DuplicateKey,
    InUse,
    ModuleNotFound,
    PackageNotFound,
    UnknownAddon,
    UnknownPackage,
)
from kisum.domain.core.subscriptions import Window, parse_status


async def _require_company(uow: CoreUnitOfWork, company_id: UUID) -> Company:
    company = await uow.companies.get(company_id, for_update=True)
    if company is None:
        raise CompanyNotFound(f"company {company_id} does not exist")
    return company


async def _record(uow: CoreUnitOfWork, companies: Iterable[Company]) -> list[EntitlementsChanged]:
    """Save the companies and put their events in the outbox, inside the open transaction."""
    events: list[EntitlementsChanged] = []
    for company in companies:
        await uow.companies.save(company)
        for event in company.pull_events():
            await uow.outbox.add(event)
            events.append(event)
    return events


async def _require_modules(uow: CoreUnitOfWork, modules: Sequence[str]) -> None:
    requested = set(modules)
    ensure_modules_exist(requested, await uow.modules.existing_keys(requested))


async def _entitlements_view(uow: CoreUnitOfWork, company: Company, at: datetime) -> EntitlementsView:
    package_keys = {company.basic.package_key} if company.basic is not None else set()
    return EntitlementsView.of(
        company,
        at,
        await uow.packages.modules_of(package_keys),
        await uow.addons.modules_of(set(company.addons)),
    )


# --- modules ---------------------------------------------------------------------------------


class CreateModuleHandler:
    def __init__(self, uow: CoreUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, command: CreateModule) -> ModuleView:
        module = Module.create(command.key, command.name, command.description, self._clock.now())
        if await self._uow.modules.get(module.key) is not None:
            raise DuplicateKey(f"module {module.key!r} already exists", code="MODULE_EXISTS")
        await self._uow.modules.add(module)
        await self._uow.commit()
        return ModuleView.of(module)


class UpdateModuleHandler:
    def __init__(self, uow: CoreUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, command: UpdateModule) -> ModuleView:
        module = await self._uow.modules.get(command.key)
        if module is None:
            raise ModuleNotFound(f"module {command.key!r} does not exist")
        module.rename(
            command.name, command.description, clear_description=command.clear_description, at=self._clock.now()
        )
        await self._uow.modules.save(module)
        await self._uow.commit()
        return ModuleView.of(module)


class DeleteModuleHandler:
    def __init__(self, uow: CoreUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, command: DeleteModule) -> None:
        if await self._uow.modules.get(command.key) is None:
            raise ModuleNotFound(f"module {command.key!r} does not exist")
        if await self._uow.modules.is_in_use(command.key):
            raise InUse(f"module {command.key!r} is part of a package or addon", code="MODULE_IN_USE")
        await self._uow.modules.delete(command.key)
        await self._uow.commit()


# --- packages --------------------------------------------------------------------------------


class CreatePackageHandler:
    def __init__(self, uow: CoreUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, command: CreatePackage) -> PackageView:
        package = Package.create(command.key, command.name, command.description, command.modules, self._clock.now())
        await _require_modules(self._uow, command.modules)
        if await self._uow.packages.get(package.key) is not None:
            raise DuplicateKey(f"package {package.key!r} already exists", code="PACKAGE_EXISTS")
        await self._uow.packages.add(package)
        await self._uow.commit()
        return PackageView.of(package)


class UpdatePackageHandler:
    """A change of a package's modules is an entitlement change for every company entitled by it."""

    def __init__(self, uow: CoreUnitOfWork, clock: Clock, notifier: EntitlementsChangedNotifier) -> None:
        self._uow = uow
        self._clock = clock
        self._notifier = notifier

    async def __call__(self, command: UpdatePackage) -> PackageView:
        at = self._clock.now()
        package = await self._uow.packages.get(command.key)
        if package is None:
            raise PackageNotFound(f"package {command.key!r} does not exist")
        if command.modules is not None:
            await _require_modules(self._uow, command.modules)
        modules_changed = package.update(
            name=command.name,
            description=command.description,
            clear_description=command.clear_description,
            modules=command.modules,
            at=at,
        )
        await self._uow.packages.save(package)
        affected = await self._uow.companies.ids_entitled_by_package(package.key) if modules_changed else []
        events = await _record(self._uow, await _offer_changed(self._uow, affected, at))
        await self._uow.commit()
        await self._notifier.notify(events)
        return PackageView.of(package)


class DeletePackageHandler:
    def __init__(self, uow: CoreUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, command: DeletePackage) -> None:
        if await self._uow.packages.get(command.key) is None:
            raise PackageNotFound(f"package {command.key!r} does not exist")
        if await self._uow.packages.is_subscribed(command.key):
            raise InUse(f"companies subscribe to package {command.key!r}", code="PACKAGE_IN_USE")
        await self._uow.packages.delete(command.key)
        await self._uow.commit()


async def _offer_changed(uow: CoreUnitOfWork, company_ids: Iterable[UUID], at: datetime) -> list[Company]:
    """A package or addon now maps to other modules: each company entitled by it changed too."""
    companies = [await _require_company(uow, company_id) for company_id in company_ids]
    for company in companies:
        company.offer_changed(at)
    return companies


# --- addons ----------------------------------------------------------------------------------


class CreateAddonHandler:
    def __init__(self, uow: CoreUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, command: CreateAddon) -> AddonView:
        addon = Addon.create(command.key, command.name, command.description, command.modules, self._clock.now())
        await _require_modules(self._uow, command.modules)
        if await self._uow.addons.get(addon.key) is not None:
            raise DuplicateKey(f"addon {addon.key!r} already exists", code="ADDON_EXISTS")
        await self._uow.addons.add(addon)
        await self._uow.commit()
        return AddonView.of(addon)


class UpdateAddonHandler:
    def __init__(self, uow: CoreUnitOfWork, clock: Clock, notifier: EntitlementsChangedNotifier) -> None:
        self._uow = uow
        self._clock = clock
        self._notifier = notifier

    async def __call__(self, command: UpdateAddon) -> AddonView:
        at = self._clock.now()
        addon = await self._uow.addons.get(command.key)
        if addon is None:
            raise AddonNotFound(f"addon {command.key!r} does not exist")
        if command.modules is not None:
            await _require_modules(self._uow, command.modules)
        modules_changed = addon.update(
            name=command.name,
            description=command.description,
            clear_description=command.clear_description,
            modules=command.modules,
            at=at,
        )
        await self._uow.addons.save(addon)
        affected = await self._uow.companies.ids_entitled_by_addon(addon.key) if modules_changed else []
        events = await _record(self._uow, await _offer_changed(self._uow, affected, at))
        await self._uow.commit()
        await self._notifier.notify(events)
        return AddonView.of(addon)


class DeleteAddonHandler:
    def __init__(self, uow: CoreUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, command: DeleteAddon) -> None:
        if await self._uow.addons.get(command.key) is None:
            raise AddonNotFound(f"addon {command.key!r} does not exist")
        if await self._uow.addons.is_subscribed(command.key):
            raise InUse(f"companies hold addon {command.key!r}", code="ADDON_IN_USE")
        await self._uow.addons.delete(command.key)
        await self._uow.commit()


# --- companies -------------------------------------------------------------------------------


class CreateCompanyHandler:
    def __init__(self, uow: CoreUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def __call__(self, command: CreateCompany) -> CompanyView:
        company = Company.register(self._ids.new_id(), command.name, self._clock.now())
        await self._uow.companies.add(company)
        await self._uow.commit()
        return CompanyView.of(company)


class ApproveCompanyHandler:
    def __init__(self, uow: CoreUnitOfWork, clock: Clock, notifier: EntitlementsChangedNotifier) -> None:
        self._uow = uow
        self._clock = clock
        self._notifier = notifier

    async def __call__(self, command: ApproveCompany) -> CompanyView:
        company = await _require_company(self._uow, command.company_id)
        company.approve(self._clock.now())
        events = await _record(self._uow, [company])
        await self._uow.commit()
        await self._notifier.notify(events)
        return CompanyView.of(company)


class SuspendCompanyHandler:
    def __init__(self, uow: CoreUnitOfWork, clock: Clock, notifier: EntitlementsChangedNotifier) -> None:
        self._uow = uow
        self._clock = clock
        self._notifier = notifier

    async def __call__(self, command: SuspendCompany) -> CompanyView:
        company = await _require_company(self._uow, command.company_id)
        company.suspend(self._clock.now())
        events = await _record(self._uow, [company])
        await self._uow.commit()
        await self._notifier.notify(events)
        return CompanyView.of(company)


# --- subscriptions ---------------------------------------------------------------------------


class _SubscriptionHandler:
    def __init__(self, uow: CoreUnitOfWork, clock: Clock, notifier: EntitlementsChangedNotifier) -> None:
        self._uow = uow
        self._clock = clock
        self._notifier = notifier

    async def _finish(self, company: Company, at: datetime) -> EntitlementsView:
        events = await _record(self._uow, [company])
        view = await _entitlements_view(self._uow, company, at)
        await self._uow.commit()
        await self._notifier.notify(events)
        return view


def _window_if_given(starts_at: datetime | None, ends_at: datetime | None) -> Window | None:
    return None if starts_at is None and ends_at is None else Window(starts_at, ends_at)


class ActivateBasicHandler(_SubscriptionHandler):
    async def __call__(self, command: ActivateBasic) -> EntitlementsView:
        at = self._clock.now()
        status, window = parse_status(command.status), Window(command.starts_at, command.ends_at)
        company = await _require_company(self._uow, command.company_id)
        if await self._uow.packages.get(command.package_key) is None:
            raise UnknownPackage(f"package {command.package_key!r} does not exist")
        company.activate_basic(command.package_key, status, window, at)
        return await self._finish(company, at)


class DeactivateBasicHandler(_SubscriptionHandler):
    async def __call__(self, command: DeactivateBasic) -> EntitlementsView:
        at = self._clock.now()
        status, window = parse_status(command.status), _window_if_given(command.starts_at, command.ends_at)
        company = await _require_company(self._uow, command.company_id)
        company.deactivate_basic(status, window, at)
        return await self._finish(company, at)


class ActivateAddonHandler(_SubscriptionHandler):
    async def __call__(self, command: ActivateAddon) -> EntitlementsView:
        at = self._clock.now()
        status, window = parse_status(command.status), Window(command.starts_at, command.ends_at)
        company = await _require_company(self._uow, command.company_id)
        if await self._uow.addons.get(command.addon_key) is None:
            raise UnknownAddon(f"addon {command.addon_key!r} does not exist")
        company.activate_addon(command.addon_key, status, window, at)
        return await self._finish(company, at)


class DeactivateAddonHandler(_SubscriptionHandler):
    async def __call__(self, command: DeactivateAddon) -> EntitlementsView:
        at = self._clock.now()
        status, window = parse_status(command.status), _window_if_given(command.starts_at, command.ends_at)
        company = await _require_company(self._uow, command.company_id)
        if await self._uow.addons.get(command.addon_key) is None:
            raise UnknownAddon(f"addon {command.addon_key!r} does not exist")
        company.deactivate_addon(command.addon_key, status, window, at)
        return await self._finish(company, at)
