"""In-memory fakes of core's ports: just enough behaviour to test the handlers."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID

from kisum.application.core.views import AddonView, CompanyView, ModuleView, PackageView
from kisum.domain.core.catalog import Addon, Module, Package
from kisum.domain.core.company import Company, CompanyStatus, EntitlementsChanged
from kisum.domain.core.errors import ConcurrentUpdate, DuplicateKey
from kisum.domain.paging import Page, PageRequest


class FakeClock:
    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2030, 1, 1, 12, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class FakeIds:
    def __init__(self) -> None:
        self.issued: list[UUID] = []

    def new_id(self) -> UUID:
        value = uuid.uuid4()
        self.issued.append(value)
        return value


class FakeModules:
    def __init__(self, store: dict[str, Module], packages: dict[str, Package], addons: dict[str, Addon]) -> None:
        self.store = store
        self._packages = packages
        self._addons = addons

    async def get(self, key: str) -> Module | None:
        return copy.deepcopy(self.store.get(key))

    async def add(self, module: Module) -> None:
        if module.key in self.store:
            raise DuplicateKey("taken", code="MODULE_EXISTS")
        self.store[module.key] = copy.deepcopy(module)

    async def save(self, module: Module) -> None:
        self.store[module.key] = copy.deepcopy(module)

    async def delete(self, key: str) -> bool:
        return self.store.pop(key, None) is not None

    async def existing_keys(self, keys: Set[str]) -> frozenset[str]:
        return frozenset(key for key in keys if key in self.store)

    async def is_in_use(self, key: str) -> bool:
        offers: list[Package | Addon] = [*self._packages.values(), *self._addons.values()]
        return any(key in offer.modules for offer in offers)


class FakeOffers:
    def __init__(self, store: dict[str, Package] | dict[str, Addon], companies: dict[UUID, Company], kind: str) -> None:
        self.store: dict[str, Package | Addon] = store  # type: ignore[assignment]
        self._companies = companies
        self._kind = kind

    async def get(self, key: str):  # type: ignore[no-untyped-def]
        return copy.deepcopy(self.store.get(key))

    async def add(self, offer: Package | Addon) -> None:
        if offer.key in self.store:
            raise DuplicateKey("taken")
        self.store[offer.key] = copy.deepcopy(offer)

    async def save(self, offer: Package | Addon) -> None:
        self.store[offer.key] = copy.deepcopy(offer)

    async def delete(self, key: str) -> bool:
        return self.store.pop(key, None) is not None

    async def is_subscribed(self, key: str) -> bool:
        for company in self._companies.values():
            if self._kind == "package" and company.basic is not None and company.basic.package_key == key:
                return True
            if self._kind == "addon" and key in company.addons:
                return True
        return False

    async def modules_of(self, keys: Set[str]) -> Mapping[str, frozenset[str]]:
        return {key: self.store[key].modules for key in keys if key in self.store}


class FakeCompanies:
    def __init__(self, store: dict[UUID, Company]) -> None:
        self.store = store
        self.locked: list[UUID] = []
        self._loaded: dict[UUID, int] = {}

    async def get(self, company_id: UUID, *, for_update: bool = False) -> Company | None:
        company = self.store.get(company_id)
        if company is None:
            return None
        if for_update:
            self.locked.append(company_id)
        self._loaded[company_id] = company.entitlement_version
        return copy.deepcopy(company)

    async def add(self, company: Company) -> None:
        self.store[company.id] = copy.deepcopy(company)
        self._loaded[company.id] = company.entitlement_version

    async def save(self, company: Company) -> None:
        if self.store[company.id].entitlement_version != self._loaded[company.id]:
            raise ConcurrentUpdate("moved")
        saved = copy.deepcopy(company)
        saved.events = []
        self.store[company.id] = saved
        self._loaded[company.id] = company.entitlement_version

    def _entitled(self, predicate: object) -> Sequence[UUID]:
        return sorted(
            (c.id for c in self.store.values() if c.status is CompanyStatus.APPROVED and predicate(c)),  # type: ignore[operator]
            key=str,
        )

    async def ids_entitled_by_package(self, key: str) -> Sequence[UUID]:
        return self._entitled(
            lambda c: c.basic is not None and c.basic.package_key == key and c.basic.terms.status.grants_access
        )

    async def ids_entitled_by_addon(self, key: str) -> Sequence[UUID]:
        return self._entitled(lambda c: key in c.addons and c.addons[key].terms.status.grants_access)


class FakeOutbox:
    def __init__(self) -> None:
        self.events: list[EntitlementsChanged] = []

    async def add(self, event: EntitlementsChanged) -> None:
        self.events.append(event)


@dataclass
class FakeCoreUnitOfWork:
    module_store: dict[str, Module] = field(default_factory=dict)
    package_store: dict[str, Package] = field(default_factory=dict)
    addon_store: dict[str, Addon] = field(default_factory=dict)
    company_store: dict[UUID, Company] = field(default_factory=dict)
    commits: int = 0
    rollbacks: int = 0

    def __post_init__(self) -> None:
        self.modules = FakeModules(self.module_store, self.package_store, self.addon_store)
        self.packages = FakeOffers(self.package_store, self.company_store, "package")
        self.addons = FakeOffers(self.addon_store, self.company_store, "addon")
        self.companies = FakeCompanies(self.company_store)
        self.outbox = FakeOutbox()
        self.committed_outbox: list[EntitlementsChanged] = []

    async def commit(self) -> None:
        self.commits += 1
        self.committed_outbox = list(self.outbox.events)

    async def rollback(self) -> None:
        self.rollbacks += 1


class RecordingNotifier:
    """Records what it was told, and whether the transaction had committed by then."""

    def __init__(self, uow: FakeCoreUnitOfWork) -> None:
        self._uow = uow
        self.calls: list[tuple[list[EntitlementsChanged], int]] = []

    async def notify(self, events: Sequence[EntitlementsChanged]) -> None:
        self.calls.append((list(events), self._uow.commits))

    @property
    def events(self) -> list[EntitlementsChanged]:
        return [event for events, _ in self.calls for event in events]


def default_catalog(uow: FakeCoreUnitOfWork, at: datetime) -> None:
    for key in ("basic", "finance", "market", "touring", "venue", "ai"):
        uow.module_store[key] = Module.create(key, key.title(), None, at)
    uow.package_store["basic"] = Package.create("basic", "Basic", None, ["basic"], at)
    for key in ("finance", "market", "touring", "venue", "ai"):
        uow.addon_store[key] = Addon.create(key, key.title(), None, [key], at)


class FakeReadModel:
    def __init__(self, uow: FakeCoreUnitOfWork) -> None:
        self._uow = uow

    @staticmethod
    def _page(items: list, page: PageRequest) -> Page:  # type: ignore[type-arg]
        return Page(tuple(items[page.offset : page.offset + page.limit]), page.page, page.limit, len(items))

    async def list_modules(self, page: PageRequest) -> Page[ModuleView]:
        return self._page([ModuleView.of(m) for _, m in sorted(self._uow.module_store.items())], page)

    async def list_packages(self, page: PageRequest) -> Page[PackageView]:
        return self._page([PackageView.of(p) for _, p in sorted(self._uow.package_store.items())], page)

    async def list_addons(self, page: PageRequest) -> Page[AddonView]:
        return self._page([AddonView.of(a) for _, a in sorted(self._uow.addon_store.items())], page)

    async def list_companies(self, page: PageRequest, status: CompanyStatus | None) -> Page[CompanyView]:
        companies = sorted(self._uow.company_store.values(), key=lambda c: (c.created_at, str(c.id)))
        return self._page([CompanyView.of(c) for c in companies if status is None or c.status is status], page)

    async def get_company(self, company_id: UUID) -> CompanyView | None:
        company = self._uow.company_store.get(company_id)
        return None if company is None else CompanyView.of(company)
