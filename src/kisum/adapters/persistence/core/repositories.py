"""Core's repositories: domain-language methods over one session; rows never leave this package."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Mapping, Sequence, Set
from contextlib import asynccontextmanager
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kisum.adapters.persistence.core.tables import (
    AddonModuleRow,
    AddonRow,
    CompanyAddonRow,
    CompanyRow,
    CompanySubscriptionRow,
    ModuleRow,
    OutboxEventRow,
    PackageModuleRow,
    PackageRow,
)
from kisum.adapters.persistence.errors import is_foreign_key_violation, is_unique_violation
from kisum.domain.core.catalog import Addon, Module, Package
from kisum.domain.core.company import Company, CompanyStatus, EntitlementsChanged
from kisum.domain.core.errors import ConcurrentUpdate, DuplicateKey, InUse, UnknownModule
from kisum.domain.core.subscriptions import (
    GRANTING_STATUSES,
    AddonSubscription,
    BasicSubscription,
    SubscriptionStatus,
    Terms,
    Window,
)
from kisum.domain.errors import Conflict, DomainError

GRANTING = tuple(status.value for status in GRANTING_STATUSES)


@asynccontextmanager
async def translated_errors(
    *,
    unique: Callable[[], DomainError] | None = None,
    foreign_key: Callable[[], DomainError] | None = None,
) -> AsyncIterator[None]:
    """Turn a constraint violation into the domain error that names it (by SQLSTATE)."""
    try:
        yield
    except IntegrityError as error:
        if unique is not None and is_unique_violation(error):
            raise unique() from error
        if foreign_key is not None and is_foreign_key_violation(error):
            raise foreign_key() from error
        raise


# --- modules ---------------------------------------------------------------------------------


def _module_to_domain(row: ModuleRow) -> Module:
    return Module(row.key, row.name, row.description, row.created_at, row.updated_at)


def _deleted(result: Any) -> bool:
    """Whether a DELETE removed a row (absence is the handler's to judge)."""
    return bool(getattr(result, "rowcount", 0))


class SqlModuleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, key: str) -> Module | None:
        row = await self._session.get(ModuleRow, key, populate_existing=True)
        return None if row is None else _module_to_domain(row)

    async def add(self, module: Module) -> None:
        self._session.add(
            ModuleRow(
                key=module.key,
                name=module.name,
                description=module.description,
                created_at=module.created_at,
                updated_at=module.updated_at,
            )
        )
        async with translated_errors(
            unique=lambda: DuplicateKey(f"module {module.key!r} already exists", code="MODULE_EXISTS")
        ):
            await self._session.flush()

    async def save(self, module: Module) -> None:
        await self._session.execute(
            update(ModuleRow)
            .where(ModuleRow.key == module.key)
            .values(name=module.name, description=module.description, updated_at=module.updated_at)
            .execution_options(synchronize_session=False)
        )

    async def delete(self, key: str) -> bool:
        async with translated_errors(
            foreign_key=lambda: InUse(f"module {key!r} is part of a package or addon", code="MODULE_IN_USE")
        ):
            result = await self._session.execute(delete(ModuleRow).where(ModuleRow.key == key))
        return _deleted(result)

    async def existing_keys(self, keys: Set[str]) -> frozenset[str]:
        if not keys:
            return frozenset()
        rows = await self._session.scalars(select(ModuleRow.key).where(ModuleRow.key.in_(sorted(keys))))
        return frozenset(rows)

    async def is_in_use(self, key: str) -> bool:
        in_package = exists().where(PackageModuleRow.module_key == key)
        in_addon = exists().where(AddonModuleRow.module_key == key)
        return bool(await self._session.scalar(select(in_package | in_addon)))


# --- packages and addons ---------------------------------------------------------------------

OfferT = TypeVar("OfferT", Package, Addon)


class _SqlOfferRepository(Generic[OfferT]):
    """Packages and addons are stored alike: a row plus a mapping to modules."""

    kind: str
    offer: type[OfferT]
    row: Any  # PackageRow | AddonRow
    mapping: Any  # PackageModuleRow | AddonModuleRow
    owner_column: str
    subscription: Any  # CompanySubscriptionRow | CompanyAddonRow
    subscription_column: str

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _owner(self) -> Any:
        return getattr(self.mapping, self.owner_column)

    async def get(self, key: str) -> OfferT | None:
        row = await self._session.get(self.row, key, populate_existing=True)
        if row is None:
            return None
        modules = (await self.modules_of({key})).get(key, frozenset())
        return self.offer(row.key, row.name, row.description, modules, row.created_at, row.updated_at)

    async def add(self, offer: OfferT) -> None:
        self._session.add(
            self.row(
                key=offer.key,
                name=offer.name,
                description=offer.description,
                created_at=offer.created_at,
                updated_at=offer.updated_at,
            )
        )
        async with translated_errors(
            unique=lambda: DuplicateKey(f"{self.kind} {offer.key!r} already exists", code=f"{self.kind.upper()}_EXISTS")
        ):
            await self._session.flush()
        await self._write_modules(offer)

    async def save(self, offer: OfferT) -> None:
        await self._session.execute(
            update(self.row)
            .where(self.row.key == offer.key)
            .values(name=offer.name, description=offer.description, updated_at=offer.updated_at)
            .execution_options(synchronize_session=False)
        )
        await self._session.execute(delete(self.mapping).where(self._owner() == offer.key))
        await self._write_modules(offer)

    async def _write_modules(self, offer: OfferT) -> None:
        for module in sorted(offer.modules):
            self._session.add(self.mapping(**{self.owner_column: offer.key, "module_key": module}))
        async with translated_errors(
            foreign_key=lambda: UnknownModule(f"unknown module(s) in {self.kind} {offer.key!r}")
        ):
            await self._session.flush()

    async def delete(self, key: str) -> bool:
        async with translated_errors(
            foreign_key=lambda: InUse(f"companies hold {self.kind} {key!r}", code=f"{self.kind.upper()}_IN_USE")
        ):
            result = await self._session.execute(delete(self.row).where(self.row.key == key))
        return _deleted(result)

    async def is_subscribed(self, key: str) -> bool:
        column = getattr(self.subscription, self.subscription_column)
        return bool(await self._session.scalar(select(exists().where(column == key))))

    async def modules_of(self, keys: Set[str]) -> Mapping[str, frozenset[str]]:
        if not keys:
            return {}
        owner = self._owner()
        rows = await self._session.execute(select(owner, self.mapping.module_key).where(owner.in_(sorted(keys))))
        found: dict[str, set[str]] = defaultdict(set)
        for owner_key, module_key in rows:
            found[owner_key].add(module_key)
        return {key: frozenset(modules) for key, modules in found.items()}


class SqlPackageRepository(_SqlOfferRepository[Package]):
    kind = "package"
    offer = Package
    row = PackageRow
    mapping = PackageModuleRow
    owner_column = "package_key"
    subscription = CompanySubscriptionRow
    subscription_column = "package_key"


class SqlAddonRepository(_SqlOfferRepository[Addon]):
    kind = "addon"
    offer = Addon
    row = AddonRow
    mapping = AddonModuleRow
    owner_column = "addon_key"
    subscription = CompanyAddonRow
    subscription_column = "addon_key"


# --- companies -------------------------------------------------------------------------------


def _terms(row: CompanySubscriptionRow | CompanyAddonRow) -> Terms:
    return Terms(SubscriptionStatus(row.status), Window(row.starts_at, row.ends_at))


def _company_to_domain(
    row: CompanyRow, basic: CompanySubscriptionRow | None, addons: Sequence[CompanyAddonRow]
) -> Company:
    return Company(
        id=row.id,
        name=row.name,
        status=CompanyStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        entitlement_version=row.entitlement_version,
        basic=None if basic is None else BasicSubscription(basic.package_key, _terms(basic)),
        addons={addon.addon_key: AddonSubscription(addon.addon_key, _terms(addon)) for addon in addons},
    )


class SqlCompanyRepository:
    """Loads and saves the company aggregate; the version it was loaded at guards the save."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._loaded_versions: dict[UUID, int] = {}

    async def get(self, company_id: UUID, *, for_update: bool = False) -> Company | None:
        statement = select(CompanyRow).where(CompanyRow.id == company_id).execution_options(populate_existing=True)
        if for_update:
            statement = statement.with_for_update()
        row = await self._session.scalar(statement)
        if row is None:
            return None
        basic = await self._session.get(CompanySubscriptionRow, company_id, populate_existing=True)
        addons = (
            await self._session.scalars(
                select(CompanyAddonRow)
                .where(CompanyAddonRow.company_id == company_id)
                .execution_options(populate_existing=True)
            )
        ).all()
        self._loaded_versions[company_id] = row.entitlement_version
        return _company_to_domain(row, basic, addons)

    async def add(self, company: Company) -> None:
        self._session.add(
            CompanyRow(
                id=company.id,
                name=company.name,
                status=company.status.value,
                entitlement_version=company.entitlement_version,
                created_at=company.created_at,
                updated_at=company.updated_at,
            )
        )
        async with translated_errors(
            unique=lambda: DuplicateKey("a company with this id exists", code="COMPANY_EXISTS")
        ):
            await self._session.flush()
        self._loaded_versions[company.id] = company.entitlement_version
        await self._save_subscriptions(company)

    async def save(self, company: Company) -> None:
        expected = self._loaded_versions.get(company.id)
        if expected is None:
            raise RuntimeError("save() needs a company loaded by get() or added in this unit of work")
        result = await self._session.execute(
            update(CompanyRow)
            .where(CompanyRow.id == company.id, CompanyRow.entitlement_version == expected)
            .values(
                name=company.name,
                status=company.status.value,
                entitlement_version=company.entitlement_version,
                updated_at=company.updated_at,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrentUpdate("the company was changed by someone else; retry")
        self._loaded_versions[company.id] = company.entitlement_version
        await self._save_subscriptions(company)

    async def _save_subscriptions(self, company: Company) -> None:
        basic_row = await self._session.get(CompanySubscriptionRow, company.id)
        if company.basic is None:
            if basic_row is not None:
                await self._session.delete(basic_row)
        else:
            window = company.basic.terms.window
            if basic_row is None:
                basic_row = CompanySubscriptionRow(company_id=company.id)
                self._session.add(basic_row)
            basic_row.package_key = company.basic.package_key
            basic_row.status = company.basic.terms.status.value
            basic_row.starts_at = window.starts_at
            basic_row.ends_at = window.ends_at
            basic_row.updated_at = company.updated_at
        existing = {
            row.addon_key: row
            for row in await self._session.scalars(
                select(CompanyAddonRow).where(CompanyAddonRow.company_id == company.id)
            )
        }
        for key, addon in company.addons.items():
            row = existing.get(key)
            if row is None:
                row = CompanyAddonRow(company_id=company.id, addon_key=key)
                self._session.add(row)
            elif (row.status, row.starts_at, row.ends_at) == (
                addon.terms.status.value,
                addon.terms.window.starts_at,
                addon.terms.window.ends_at,
            ):
                continue
            row.status = addon.terms.status.value
            row.starts_at = addon.terms.window.starts_at
            row.ends_at = addon.terms.window.ends_at
            row.updated_at = company.updated_at
        async with translated_errors(
            foreign_key=lambda: Conflict(
                "a subscription names a package or addon that was just removed", code="CATALOG_CHANGED"
            )
        ):
            await self._session.flush()

    async def ids_entitled_by_package(self, key: str) -> Sequence[UUID]:
        rows = await self._session.scalars(
            select(CompanySubscriptionRow.company_id)
            .join(CompanyRow, CompanyRow.id == CompanySubscriptionRow.company_id)
            .where(
                CompanySubscriptionRow.package_key == key,
                CompanySubscriptionRow.status.in_(GRANTING),
                CompanyRow.status == CompanyStatus.APPROVED.value,
            )
            .order_by(CompanySubscriptionRow.company_id)
        )
        return list(rows)

    async def ids_entitled_by_addon(self, key: str) -> Sequence[UUID]:
        rows = await self._session.scalars(
            select(CompanyAddonRow.company_id)
            .join(CompanyRow, CompanyRow.id == CompanyAddonRow.company_id)
            .where(
                CompanyAddonRow.addon_key == key,
                CompanyAddonRow.status.in_(GRANTING),
                CompanyRow.status == CompanyStatus.APPROVED.value,
            )
            .order_by(CompanyAddonRow.company_id)
        )
        return list(rows)


# --- outbox ----------------------------------------------------------------------------------


class SqlOutbox:
    """Writes events into ``outbox_events`` in the caller's transaction; delivery is elsewhere."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, event: EntitlementsChanged) -> None:
        self._session.add(
            OutboxEventRow(
                id=uuid.uuid4(),
                company_id=event.company_id,
                entitlement_version=event.entitlement_version,
                created_at=event.occurred_at,
                attempts=0,
                next_attempt_at=event.occurred_at,
            )
        )
        async with translated_errors(
            unique=lambda: ConcurrentUpdate("this entitlement version was already announced; retry")
        ):
            await self._session.flush()


__all__ = [
    "SqlAddonRepository",
    "SqlCompanyRepository",
    "SqlModuleRepository",
    "SqlOutbox",
    "SqlPackageRepository",
    "translated_errors",
]
