"""Reads of the Base backend: they return records or read models and change nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from kisum.application.business.basic.ports import BasicUnitOfWork, FileStorage, RecordQuery, RecordRepository
from kisum.application.ports import Clock
from kisum.domain.business.errors import RecordNotFound
from kisum.domain.business.records import (
    RECORD_TYPES,
    CompanyProfile,
    EventWindow,
    ResourceKind,
    StoredFile,
    TenantRecord,
)
from kisum.domain.errors import FieldInvalid, FieldIssue, wire_name
from kisum.domain.paging import DEFAULT_PAGE_LIMIT, Page, PageRequest


@dataclass(frozen=True, slots=True)
class GetRecord:
    kind: ResourceKind
    company_id: UUID
    record_id: UUID
    parent_id: UUID | None = None
    """For a nested resource: the record it must belong to (from the path), else 404."""


@dataclass(frozen=True, slots=True)
class ListRecords:
    kind: ResourceKind
    company_id: UUID
    page: int = 1
    limit: int = DEFAULT_PAGE_LIMIT
    search: str | None = None
    filters: Mapping[str, object] = field(default_factory=dict)
    """Declared filter name (domain) → value; ``None`` means not filtered."""
    sort: str | None = None
    """As the client wrote it: ``name``, ``-createdAt``, ``done,dueDate``; None = the declared order."""
    window: EventWindow = EventWindow.ALL
    parent_id: UUID | None = None
    """For a nested resource: whose records to list (from the path; an unknown parent is 404)."""


@dataclass(frozen=True, slots=True)
class GetCompanyProfile:
    company_id: UUID


@dataclass(frozen=True, slots=True)
class GetDashboard:
    company_id: UUID
    upcoming_limit: int = 5


@dataclass(frozen=True, slots=True)
class GetFileContent:
    company_id: UUID
    file_id: UUID


async def load(records: RecordRepository, record_id: UUID, *, for_update: bool = False) -> TenantRecord:
    """The record, or the context's 404: a repository answers None for a row that is absent or
    another company's (one convention for every repository: only the handler knows what absence
    means)."""
    record = await records.get(record_id, for_update=for_update)
    if record is None:
        raise RecordNotFound(records.kind.value)
    return record


async def check_parent(uow: BasicUnitOfWork, kind: ResourceKind, company_id: UUID, parent_id: UUID | None) -> None:
    """A nested collection exists only under a record of the same company (else 404 naming the parent)."""
    parent_kind = RECORD_TYPES[kind].DECLARATION.parent_kind
    if parent_kind is None:
        return
    found = (
        set()
        if parent_id is None
        else await uow.records(ResourceKind(parent_kind), company_id).existing_ids({parent_id})
    )
    if not found:
        raise RecordNotFound(parent_kind)


def in_parent(record: TenantRecord, parent_id: UUID | None) -> TenantRecord:
    """The record, if it belongs to the parent named in the path (a nested resource), else 404."""
    parent = record.DECLARATION.parent
    if parent is not None and getattr(record, parent) != parent_id:
        raise RecordNotFound(record.DECLARATION.kind)
    return record


class GetRecordHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    async def __call__(self, query: GetRecord) -> TenantRecord:
        async with self.uow.reading():
            record = await load(self.uow.records(query.kind, query.company_id), query.record_id)
        return in_parent(record, query.parent_id).as_of(self.clock.now())


def record_query(query: ListRecords, clock: Clock) -> RecordQuery:
    """Check a list request against the resource's declaration; every bad part is named at once."""
    declaration = RECORD_TYPES[query.kind].DECLARATION
    issues: list[FieldIssue] = []
    try:
        PageRequest(query.page, query.limit)
    except FieldInvalid as error:
        issues.extend(error.issues)
    filters: dict[str, object] = {}
    declared = declaration.filters
    for name, value in query.filters.items():
        if name not in declared:
            issues.append(FieldIssue(wire_name(name), "is not a filter of this list"))
        elif value is not None:
            target = declared[name]
            try:
                filters[name] = value if target.many or not isinstance(value, str) else target.spec.rule(name, value)
            except FieldInvalid as error:
                issues.extend(error.issues)
    order = declaration.default_sort
    try:
        order = declaration.parse_sort(query.sort)
    except FieldInvalid as error:
        issues.extend(error.issues)
    if query.window is not EventWindow.ALL and declaration.time_span is None:
        issues.append(FieldIssue("type", "is not a filter of this list"))
    if issues:
        raise FieldInvalid.of(issues)
    if declaration.parent is not None:
        filters[declaration.parent] = query.parent_id
    search = query.search.strip() if query.search and query.search.strip() else None
    return RecordQuery(query.page, query.limit, order, filters, search, query.window, clock.now())


class ListRecordsHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    async def __call__(self, query: ListRecords) -> Page[object]:
        checked = record_query(query, self.clock)
        async with self.uow.reading():
            await check_parent(self.uow, query.kind, query.company_id, query.parent_id)
            return await self.uow.records(query.kind, query.company_id).list(checked)


@dataclass(frozen=True, slots=True)
class Dashboard:
    counts: dict[str, int]
    """Per counted resource (by plural), plus ``open_tasks`` and ``upcoming_events``."""
    upcoming_events: list[object]


class GetDashboardHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    async def __call__(self, query: GetDashboard) -> Dashboard:
        company = query.company_id
        upcoming = record_query(
            ListRecords(ResourceKind.EVENT, company, limit=query.upcoming_limit, window=EventWindow.UPCOMING),
            self.clock,
        )
        async with self.uow.reading():
            counts = {
                record_type.DECLARATION.plural: await self.uow.records(kind, company).count()
                for kind, record_type in RECORD_TYPES.items()
                if record_type.DECLARATION.counted
            }
            counts["open_tasks"] = await self.uow.records(ResourceKind.TASK, company).count({"done": False})
            events = await self.uow.records(ResourceKind.EVENT, company).list(upcoming)
        counts["upcoming_events"] = events.total
        return Dashboard(counts=counts, upcoming_events=list(events.items))


class GetFileContentHandler:
    def __init__(self, uow: BasicUnitOfWork, storage: FileStorage) -> None:
        self.uow, self.storage = uow, storage

    async def __call__(self, query: GetFileContent) -> tuple[StoredFile, bytes]:
        async with self.uow.reading():
            record = await load(self.uow.records(ResourceKind.FILE, query.company_id), query.file_id)
        assert isinstance(record, StoredFile)
        try:
            content = await self.storage.read(record.storage_key)
        except FileNotFoundError:
            raise RecordNotFound("file content") from None
        return record, content


class GetCompanyProfileHandler:
    def __init__(self, uow: BasicUnitOfWork) -> None:
        self.uow = uow

    async def __call__(self, query: GetCompanyProfile) -> CompanyProfile:
        async with self.uow.reading():
            profile = await self.uow.profiles(query.company_id).get()
        return profile or CompanyProfile(company_id=query.company_id)
