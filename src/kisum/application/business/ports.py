"""What the Base use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from types import TracebackType
from typing import Generic, Protocol, Self, TypeVar
from uuid import UUID

from kisum.application.business.queries import ListRecords
from kisum.domain.business.records import CompanyProfile, ResourceKind, TenantRecord

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Page(Generic[R]):
    items: list[R]
    page: int
    limit: int
    total: int


class RecordRepository(Protocol):
    """Records of one kind of ONE company: it is built with the company id and never sees another's rows."""

    company_id: UUID

    async def get(self, record_id: UUID, *, for_update: bool = False) -> TenantRecord:
        """The record, or ``RecordNotFound`` (also for another company's record)."""
        ...

    async def add(self, record: TenantRecord) -> None: ...

    async def save(self, record: TenantRecord) -> None: ...

    async def delete(self, record: TenantRecord) -> None: ...

    async def list(self, query: ListRecords) -> Page[TenantRecord]: ...

    async def count(self, filters: dict[str, object] | None = None) -> int: ...

    async def existing_ids(self, ids: Collection[UUID]) -> set[UUID]: ...


class CompanyProfileRepository(Protocol):
    async def get(self, *, for_update: bool = False) -> CompanyProfile | None: ...

    async def save(self, profile: CompanyProfile) -> None: ...


class BasicUnitOfWork(Protocol):
    """One transaction over the Base tables; only ``commit`` makes a change durable."""

    def reading(self) -> Self:
        """Mark the next ``async with`` block as reads only: no transaction, ``commit`` refused."""
        ...

    def records(self, kind: ResourceKind, company_id: UUID) -> RecordRepository: ...

    def profiles(self, company_id: UUID) -> CompanyProfileRepository: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class FileStorage(Protocol):
    """Where uploaded bytes live, by opaque key."""

    async def save(self, key: str, content: bytes) -> None: ...

    async def read(self, key: str) -> bytes:
        """The bytes, or ``FileNotFoundError``."""
        ...

    async def delete(self, key: str) -> None: ...
