"""What the core use cases need from the outside world, as Protocols the adapters implement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from typing import Protocol
from uuid import UUID

from kisum.application.core.views import AddonView, CompanyView, ModuleView, PackageView
from kisum.application.ports import UnitOfWork
from kisum.domain.core.catalog import Addon, Module, Package
from kisum.domain.core.company import Company, CompanyStatus, EntitlementsChanged
from kisum.domain.paging import Page, PageRequest


class ModuleRepository(Protocol):
    async def get(self, key: str) -> Module | None: ...

    async def add(self, module: Module) -> None:
        """Raises ``DuplicateKey`` when the key is taken."""
        ...

    async def save(self, module: Module) -> None: ...

    async def delete(self, key: str) -> bool:
        """False when there was no such key (the handler decides what that means)."""
        ...

    async def existing_keys(self, keys: Set[str]) -> frozenset[str]: ...

    async def is_in_use(self, key: str) -> bool:
        """Whether a package or an addon maps to this module."""
        ...


class PackageRepository(Protocol):
    async def get(self, key: str) -> Package | None: ...

    async def add(self, package: Package) -> None: ...

    async def save(self, package: Package) -> None: ...

    async def delete(self, key: str) -> bool:
        """False when there was no such key (the handler decides what that means)."""
        ...

    async def is_subscribed(self, key: str) -> bool:
        """Whether any company's Basic subscription (of any status) names this package."""
        ...

    async def modules_of(self, keys: Set[str]) -> Mapping[str, frozenset[str]]: ...


class AddonRepository(Protocol):
    async def get(self, key: str) -> Addon | None: ...

    async def add(self, addon: Addon) -> None: ...

    async def save(self, addon: Addon) -> None: ...

    async def delete(self, key: str) -> bool:
        """False when there was no such key (the handler decides what that means)."""
        ...

    async def is_subscribed(self, key: str) -> bool:
        """Whether any company holds this addon (of any status)."""
        ...

    async def modules_of(self, keys: Set[str]) -> Mapping[str, frozenset[str]]: ...


class CompanyRepository(Protocol):
    async def get(self, company_id: UUID, *, for_update: bool = False) -> Company | None:
        """The company with its subscriptions; ``for_update`` locks it until the transaction ends."""
        ...

    async def add(self, company: Company) -> None: ...

    async def save(self, company: Company) -> None:
        """Write the company and its subscriptions; ``ConcurrentUpdate`` if someone else moved its version."""
        ...

    async def ids_entitled_by_package(self, key: str) -> Sequence[UUID]:
        """Approved companies whose Basic subscription on this package has a granting status, by id."""
        ...

    async def ids_entitled_by_addon(self, key: str) -> Sequence[UUID]: ...


class Outbox(Protocol):
    """Events written in the same transaction as the change they announce."""

    async def add(self, event: EntitlementsChanged) -> None: ...


class CoreUnitOfWork(UnitOfWork, Protocol):
    """One transaction over core's repositories."""

    @property
    def modules(self) -> ModuleRepository: ...

    @property
    def packages(self) -> PackageRepository: ...

    @property
    def addons(self) -> AddonRepository: ...

    @property
    def companies(self) -> CompanyRepository: ...

    @property
    def outbox(self) -> Outbox: ...


class EntitlementsChangedNotifier(Protocol):
    """Tells auth, after commit, that a company's entitlements changed.

    Best effort and never raises: the event is already in the outbox, and whatever is not
    delivered now is retried in the background.
    """

    async def notify(self, events: Sequence[EntitlementsChanged]) -> None: ...


class CoreReadModel(Protocol):
    """Queries that skip the domain and read straight into views."""

    async def list_modules(self, page: PageRequest) -> Page[ModuleView]: ...

    async def list_packages(self, page: PageRequest) -> Page[PackageView]: ...

    async def list_addons(self, page: PageRequest) -> Page[AddonView]: ...

    async def list_companies(self, page: PageRequest, status: CompanyStatus | None) -> Page[CompanyView]: ...

    async def get_company(self, company_id: UUID) -> CompanyView | None: ...
