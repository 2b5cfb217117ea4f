"""What the Base use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from kisum.domain.business.booking import OfferVersion, Signer
from kisum.domain.business.declaration import SortKey
from kisum.domain.business.notifications import Notification, NotificationItem, NotificationOrder, Subject
from kisum.domain.business.records import CompanyProfile, EventWindow, ResourceKind, TenantRecord
from kisum.domain.paging import Page


@dataclass(frozen=True, slots=True)
class RecordQuery:
    """A list request once checked against the declaration: what storage reads."""

    page: int
    limit: int
    order: tuple[SortKey, ...]
    filters: Mapping[str, object] = field(default_factory=dict)
    """Declared filter name (domain) → clean value."""
    search: str | None = None
    window: EventWindow = EventWindow.ALL
    now: datetime | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


class RecordRepository(Protocol):
    """Records of one kind of ONE company: it is built with the company id and never sees another's rows."""

    company_id: UUID

    @property
    def kind(self) -> ResourceKind: ...

    async def get(self, record_id: UUID, *, for_update: bool = False) -> TenantRecord | None:
        """The record, or None (also for another company's record): ``queries.load`` makes it a 404."""
        ...

    async def add(self, record: TenantRecord) -> None: ...

    async def save(self, record: TenantRecord) -> None: ...

    async def delete(self, record: TenantRecord) -> bool:
        """Whether there was such a record of this company."""
        ...

    async def list(self, query: RecordQuery) -> Page[object]:
        """A page of the resource's view (id, shown fields, timestamps), read straight from storage
        into the shape the adapter was built to give (no record in between)."""
        ...

    async def count(self, filters: Mapping[str, object] | None = None) -> int: ...

    async def values_where(self, filters: Mapping[str, object], fields: Sequence[str]) -> Sequence[Sequence[object]]:
        """The named fields of every record whose fields equal ``filters``, in one read, as rows of
        values in the order asked (a computed view needs a few fields of many records)."""
        ...

    async def existing_ids(self, ids: Collection[UUID]) -> set[UUID]: ...


class BookingRepository(Protocol):
    """What the booking flow keeps beside its records, for ONE company: offer versions, agreement signers."""

    async def offer_versions(self, offer_id: UUID) -> list[OfferVersion]: ...

    async def add_offer_version(self, version: OfferVersion) -> None: ...

    async def signers(self, agreement_ids: Collection[UUID]) -> dict[UUID, tuple[Signer, ...]]:
        """Each agreement's signers in their order (an agreement without any is absent)."""
        ...

    async def replace_signers(self, agreement_id: UUID, signers: tuple[Signer, ...]) -> None: ...

    async def save_signer(self, signer: Signer) -> None: ...


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

    def booking(self, company_id: UUID) -> BookingRepository: ...

    def notifications(self, company_id: UUID) -> NotificationRepository: ...

    def accounting(self, company_id: UUID) -> AccountingOutbox: ...

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


@dataclass(frozen=True, slots=True)
class Reader:
    """Who reads a notification feed: the user and the permissions they hold in the company now."""

    user_id: UUID
    permissions: frozenset[str]


class NotificationRepository(Protocol):
    """Notifications of ONE company; a reader sees only those addressed to them."""

    async def add(self, notification: Notification) -> None: ...

    async def list(
        self, reader: Reader, *, unread: bool, order: NotificationOrder, page: int, limit: int
    ) -> Page[NotificationItem]: ...

    async def mark_read(self, reader: Reader, notification_id: UUID, now: datetime) -> NotificationItem:
        """Read for this reader (once: the first time is kept); ``RecordNotFound`` if not theirs."""
        ...

    async def mark_all_read(self, reader: Reader, now: datetime) -> int:
        """Every unread one of this reader's feed; how many were marked."""
        ...


class AccountingOutbox(Protocol):
    """What the accounting system (Xero, later) must learn: written in the transaction of the change."""

    async def enqueue(self, *, id: UUID, now: datetime, kind: str, subject: Subject) -> None:
        """``kind``: ``bill`` (an approved expense) or ``invoice`` (an income line)."""
        ...


class AccountingExporter(Protocol):
    """Sends one outbox entry to the accounting system; a no-op until an integration is connected."""

    async def export(self, company_id: UUID, kind: str, subject: Subject) -> str | None:
        """The accounting system's id of what it created, or None when nothing was sent."""
        ...
