"""Repositories of the Base module: one generic tenant repository per record kind (events add links)."""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Collection
from typing import Any, ClassVar, cast
from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.exc import DBAPIError

from kisum.adapters.persistence.basic.tables import (
    AgencyRow,
    ArtistRow,
    CompanyProfileRow,
    EventArtistRow,
    EventRow,
    FileRow,
    TaskRow,
    VendorRow,
    VenueRow,
)
from kisum.adapters.persistence.errors import is_unique_violation
from kisum.adapters.persistence.tenant import TenantRepository, like_pattern
from kisum.application.business.ports import Page
from kisum.application.business.queries import ListRecords
from kisum.domain.business.errors import DuplicateValue
from kisum.domain.business.records import (
    Agency,
    Artist,
    CompanyProfile,
    Event,
    EventWindow,
    ResourceKind,
    StoredFile,
    Task,
    TenantRecord,
    Vendor,
    Venue,
)


class SqlRecordRepository(TenantRepository[Any]):
    """Records of one kind and one company; columns are named as the record's fields."""

    record_type: ClassVar[type[TenantRecord]]
    kind: ClassVar[ResourceKind]
    skip_fields: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def _fields(cls) -> builtins.list[str]:
        return [f.name for f in dataclasses.fields(cls.record_type) if f.name not in cls.skip_fields]

    def _to_row(self, record: TenantRecord) -> Any:
        return self._own(self.row_type(**{name: getattr(record, name) for name in self._fields()}))

    def _to_domain(self, row: Any, **extra: Any) -> TenantRecord:
        return self.record_type(**{name: getattr(row, name) for name in self._fields()}, **extra)

    def _copy_to_row(self, record: TenantRecord, row: Any) -> None:
        for name in self._fields():
            if name not in ("id", "company_id", "created_at"):
                setattr(row, name, getattr(record, name))

    async def _flush(self, record: TenantRecord) -> None:
        try:
            await self.session.flush()
        except DBAPIError as error:
            if is_unique_violation(error) and record.UNIQUE:
                raise DuplicateValue(self.noun, record.UNIQUE[0]) from None
            raise

    async def get(self, record_id: UUID, *, for_update: bool = False) -> TenantRecord:
        return self._to_domain(await self._row(record_id, for_update=for_update))

    async def add(self, record: TenantRecord) -> None:
        self.session.add(self._to_row(record))
        await self._flush(record)

    async def save(self, record: TenantRecord) -> None:
        row = await self._row(record.id, for_update=True)
        self._copy_to_row(record, row)
        await self._flush(record)

    async def delete(self, record: TenantRecord) -> None:
        await self.session.delete(await self._row(record.id, for_update=True))
        await self.session.flush()

    def _criteria(self, filters: dict[str, object] | Any) -> builtins.list[Any]:
        return [getattr(self.row_type, name) == value for name, value in dict(filters).items()]

    def _order(self, query: ListRecords) -> builtins.list[Any]:
        return [func.lower(self.row_type.name), self.row_type.id]

    def _window(self, query: ListRecords) -> builtins.list[Any]:
        return []

    async def list(self, query: ListRecords) -> Page[TenantRecord]:
        # A Core select of the table's columns, mapped straight to records (read side: no ORM
        # instances), with the total in the same statement.
        statement = self._scoped(*self.row_type.__table__.c).where(*self._criteria(query.filters), *self._window(query))
        if query.search:
            statement = statement.where(func.lower(self.row_type.name).like(like_pattern(query.search), escape="\\"))
        rows, total = await self._page_of_columns(
            statement, offset=query.offset, limit=query.limit, order_by=self._order(query)
        )
        return Page(items=await self._many(rows), page=query.page, limit=query.limit, total=total)

    async def _many(self, rows: builtins.list[Any]) -> builtins.list[TenantRecord]:
        return [self._to_domain(row) for row in rows]

    async def count(self, filters: dict[str, object] | None = None) -> int:
        return await self._count(*self._criteria(filters or {}))

    async def existing_ids(self, ids: Collection[UUID]) -> set[UUID]:
        return await self._existing_ids(ids)


class SqlArtistRepository(SqlRecordRepository):
    row_type, record_type, kind, noun = ArtistRow, Artist, ResourceKind.ARTIST, "artist"


class SqlVenueRepository(SqlRecordRepository):
    row_type, record_type, kind, noun = VenueRow, Venue, ResourceKind.VENUE, "venue"


class SqlVendorRepository(SqlRecordRepository):
    row_type, record_type, kind, noun = VendorRow, Vendor, ResourceKind.VENDOR, "vendor"


class SqlAgencyRepository(SqlRecordRepository):
    row_type, record_type, kind, noun = AgencyRow, Agency, ResourceKind.AGENCY, "agency"


class SqlTaskRepository(SqlRecordRepository):
    row_type, record_type, kind, noun = TaskRow, Task, ResourceKind.TASK, "task"

    def _order(self, query: ListRecords) -> builtins.list[Any]:
        return [TaskRow.done, TaskRow.due_date.is_(None), TaskRow.due_date, func.lower(TaskRow.name), TaskRow.id]


class SqlFileRepository(SqlRecordRepository):
    row_type, record_type, kind, noun = FileRow, StoredFile, ResourceKind.FILE, "file"

    def _order(self, query: ListRecords) -> builtins.list[Any]:
        return [FileRow.created_at.desc(), FileRow.id]


class SqlEventRepository(SqlRecordRepository):
    """Events and their artist links (``event_artists``, ordered as given)."""

    row_type, record_type, kind, noun = EventRow, Event, ResourceKind.EVENT, "event"
    skip_fields = frozenset({"artist_ids"})

    async def _artists_of(self, event_ids: builtins.list[UUID]) -> dict[UUID, tuple[UUID, ...]]:
        if not event_ids:
            return {}
        statement = (
            select(EventArtistRow.event_id, EventArtistRow.artist_id)
            .where(EventArtistRow.company_id == self.company_id, EventArtistRow.event_id.in_(event_ids))
            .order_by(EventArtistRow.event_id, EventArtistRow.position)
        )
        links: dict[UUID, builtins.list[UUID]] = {}
        for event_id, artist_id in await self.session.execute(statement):
            links.setdefault(event_id, []).append(artist_id)
        return {event_id: tuple(ids) for event_id, ids in links.items()}

    async def _link(self, event: Event) -> None:
        await self.session.execute(
            delete(EventArtistRow).where(
                EventArtistRow.company_id == self.company_id, EventArtistRow.event_id == event.id
            )
        )
        self.session.add_all(
            EventArtistRow(event_id=event.id, artist_id=artist_id, company_id=self.company_id, position=position)
            for position, artist_id in enumerate(event.artist_ids)
        )
        await self.session.flush()

    async def get(self, record_id: UUID, *, for_update: bool = False) -> TenantRecord:
        row = await self._row(record_id, for_update=for_update)
        links = await self._artists_of([row.id])
        return self._to_domain(row, artist_ids=links.get(row.id, ()))

    async def add(self, record: TenantRecord) -> None:
        await super().add(record)
        await self._link(cast(Event, record))

    async def save(self, record: TenantRecord) -> None:
        await super().save(record)
        await self._link(cast(Event, record))

    async def _many(self, rows: builtins.list[Any]) -> builtins.list[TenantRecord]:
        links = await self._artists_of([row.id for row in rows])
        return [self._to_domain(row, artist_ids=links.get(row.id, ())) for row in rows]

    def _criteria(self, filters: dict[str, object] | Any) -> builtins.list[Any]:
        filters = dict(filters)
        artist_id = filters.pop("artist_id", None)
        criteria = super()._criteria(filters)
        if artist_id is not None:
            criteria.append(
                EventRow.id.in_(
                    select(EventArtistRow.event_id).where(
                        EventArtistRow.company_id == self.company_id, EventArtistRow.artist_id == artist_id
                    )
                )
            )
        return criteria

    def _window(self, query: ListRecords) -> builtins.list[Any]:
        if query.window is EventWindow.ALL or query.now is None:
            return []
        end = func.coalesce(EventRow.ends_at, EventRow.starts_at)
        if query.window is EventWindow.UPCOMING:
            return [end.is_not(None), end >= query.now]
        return [end.is_not(None), end < query.now]

    def _order(self, query: ListRecords) -> builtins.list[Any]:
        if query.window is EventWindow.PAST:
            return [EventRow.starts_at.desc(), EventRow.id]
        return [EventRow.starts_at.is_(None), EventRow.starts_at, func.lower(EventRow.name), EventRow.id]


REPOSITORIES: dict[ResourceKind, type[SqlRecordRepository]] = {
    repository.kind: repository
    for repository in (
        SqlArtistRepository,
        SqlVenueRepository,
        SqlVendorRepository,
        SqlAgencyRepository,
        SqlTaskRepository,
        SqlFileRepository,
        SqlEventRepository,
    )
}


class SqlCompanyProfileRepository(TenantRepository[CompanyProfileRow]):
    """The one profile row of a company (its primary key is the company id)."""

    row_type = CompanyProfileRow
    noun = "company profile"
    _fields: ClassVar[tuple[str, ...]] = tuple(f.name for f in dataclasses.fields(CompanyProfile))

    async def get(self, *, for_update: bool = False) -> CompanyProfile | None:
        statement = self._scoped()
        if for_update:
            statement = statement.with_for_update()
        row = (await self.session.execute(statement)).scalar_one_or_none()
        if row is None:
            return None
        return CompanyProfile(**{name: getattr(row, name) for name in self._fields})

    async def save(self, profile: CompanyProfile) -> None:
        if profile.company_id != self.company_id:
            raise ValueError("refusing to write the profile of another company")
        row = (await self.session.execute(self._scoped().with_for_update())).scalar_one_or_none()
        if row is None:
            row = CompanyProfileRow(company_id=self.company_id)
            self.session.add(row)
        for name in self._fields:
            if name != "company_id":
                setattr(row, name, getattr(profile, name))
        await self.session.flush()


__all__ = ["REPOSITORIES", "SqlCompanyProfileRepository", "SqlRecordRepository"]
