"""In-memory stand-ins for the ports the module backends' handlers use."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Generic, Self, TypeVar
from uuid import UUID, uuid4

from kisum.domain.paging import Page, PageRequest

T = TypeVar("T")


@dataclass
class FakeClock:
    current: datetime = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@dataclass
class FakeIds:
    issued: list[UUID] = field(default_factory=list)

    def new_id(self) -> UUID:
        self.issued.append(uuid4())
        return self.issued[-1]


class FakeUnitOfWork:
    """Counts commits; a block left without commit restores the store it was given."""

    def __init__(self, *stores: dict[Any, Any]) -> None:
        self.commits = 0
        self.rollbacks = 0
        self._stores = stores
        self._snapshots: list[dict[Any, Any]] = []
        self.read_only_blocks = 0
        self._reading = False

    def reading(self) -> Self:
        self._reading = True
        self.read_only_blocks += 1
        return self

    async def __aenter__(self) -> Self:
        import copy

        self._snapshots = [copy.deepcopy(store) for store in self._stores]
        self._committed = False
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._reading = False
        if not self._committed:
            await self.rollback()

    async def commit(self) -> None:
        if self._reading:
            raise AssertionError("commit() in a read-only unit of work")
        self.commits += 1
        self._committed = True

    async def rollback(self) -> None:
        self.rollbacks += 1
        for store, snapshot in zip(self._stores, self._snapshots, strict=True):
            store.clear()
            store.update(snapshot)


class TenantStore(Generic[T]):
    """Items keyed by (company id, item id): a company sees only its own."""

    def __init__(self, items: dict[tuple[UUID, UUID], T], company_id: UUID) -> None:
        self.items = items
        self.company_id = company_id

    def mine(self) -> list[T]:
        return [item for (company, _), item in self.items.items() if company == self.company_id]

    def put(self, item_id: UUID, item: T) -> None:
        self.items[(self.company_id, item_id)] = item

    def take(self, item_id: UUID) -> T | None:
        return self.items.get((self.company_id, item_id))

    def drop(self, item_id: UUID) -> bool:
        return self.items.pop((self.company_id, item_id), None) is not None

    @staticmethod
    def page(items: Iterable[T], request: PageRequest, key: Callable[[T], Any]) -> Page[T]:
        ordered = sorted(items, key=key)
        return Page(ordered[request.offset : request.offset + request.limit], request.page, request.limit, len(ordered))
