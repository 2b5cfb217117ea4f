"""One handler per command or query: load through the tenant's repositories, apply the domain, commit once."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from typing import cast

from kisum.application.business.commands import (
    CreateRecord,
    DeleteRecord,
    UpdateCompanyProfile,
    UpdateRecord,
    UploadFile,
)
from kisum.application.business.ports import BasicUnitOfWork, FileStorage, Page
from kisum.application.business.queries import (
    MAX_LIMIT,
    GetCompanyProfile,
    GetDashboard,
    GetFileContent,
    GetRecord,
    ListRecords,
)
from kisum.application.ports import Clock, IdGenerator
from kisum.domain.business.errors import FieldInvalid, RecordNotFound
from kisum.domain.business.records import (
    RECORD_TYPES,
    CompanyProfile,
    Event,
    EventWindow,
    FilePolicy,
    ResourceKind,
    StoredFile,
    TenantRecord,
)

logger = logging.getLogger("kisum.basic")

PLURALS = {
    ResourceKind.ARTIST: "artists",
    ResourceKind.EVENT: "events",
    ResourceKind.AGENCY: "agencies",
    ResourceKind.VENDOR: "vendors",
    ResourceKind.VENUE: "venues",
    ResourceKind.TASK: "tasks",
    ResourceKind.FILE: "files",
}


async def _check_references(uow: BasicUnitOfWork, record: TenantRecord, names: set[str]) -> None:
    """Ids a record points at must be records of the same company (else 400 naming the field)."""
    for name, kind in record.REFERENCES.items():
        if name not in names:
            continue
        wanted = set(record.referenced_ids(name))
        if not wanted:
            continue
        found = await uow.records(kind, record.company_id).existing_ids(wanted)
        if wanted - found:
            raise FieldInvalid(name, f"refers to a {kind.value} that does not exist")


class CreateRecordHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self.uow, self.clock, self.ids = uow, clock, ids

    async def __call__(self, command: CreateRecord) -> TenantRecord:
        if command.kind is ResourceKind.FILE:
            raise ValueError("files are created by UploadFile")
        record_type = RECORD_TYPES[command.kind]
        record = record_type.create(
            id=self.ids.new_id(), company_id=command.company_id, now=self.clock.now(), values=command.values
        )
        async with self.uow:
            await _check_references(self.uow, record, set(command.values))
            await self.uow.records(command.kind, command.company_id).add(record)
            await self.uow.commit()
        return record


class UpdateRecordHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    async def __call__(self, command: UpdateRecord) -> TenantRecord:
        async with self.uow:
            records = self.uow.records(command.kind, command.company_id)
            record = await records.get(command.record_id, for_update=True)
            record.change(command.changes, now=self.clock.now())
            await _check_references(self.uow, record, set(command.changes))
            await records.save(record)
            await self.uow.commit()
        return record


class DeleteRecordHandler:
    def __init__(self, uow: BasicUnitOfWork, storage: FileStorage) -> None:
        self.uow, self.storage = uow, storage

    async def __call__(self, command: DeleteRecord) -> None:
        async with self.uow:
            records = self.uow.records(command.kind, command.company_id)
            record = await records.get(command.record_id, for_update=True)
            await records.delete(record)
            await self.uow.commit()
        if isinstance(record, StoredFile):
            try:
                await self.storage.delete(record.storage_key)
            except OSError:  # the row is gone; an orphan blob is harmless and logged
                logger.warning("could not delete stored bytes", extra={"storageKey": record.storage_key})


class GetRecordHandler:
    def __init__(self, uow: BasicUnitOfWork) -> None:
        self.uow = uow

    async def __call__(self, query: GetRecord) -> TenantRecord:
        async with self.uow.reading():
            return await self.uow.records(query.kind, query.company_id).get(query.record_id)


class ListRecordsHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    async def __call__(self, query: ListRecords) -> Page[TenantRecord]:
        if not 1 <= query.limit <= MAX_LIMIT:
            raise FieldInvalid("limit", f"must be between 1 and {MAX_LIMIT}")
        if query.page < 1:
            raise FieldInvalid("page", "must be 1 or more")
        allowed = RECORD_TYPES[query.kind].FILTERS
        unknown = sorted(set(query.filters) - allowed)
        if unknown:
            raise FieldInvalid(unknown[0], "is not a filter of this list")
        filters = {name: value for name, value in query.filters.items() if value is not None}
        search = query.search.strip() if query.search and query.search.strip() else None
        query = replace(query, filters=filters, search=search, now=query.now or self.clock.now())
        async with self.uow.reading():
            return await self.uow.records(query.kind, query.company_id).list(query)


@dataclass(frozen=True, slots=True)
class Dashboard:
    counts: dict[str, int]
    upcoming_events: list[Event]


class GetDashboardHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    async def __call__(self, query: GetDashboard) -> Dashboard:
        now = self.clock.now()
        company = query.company_id
        async with self.uow.reading():
            counts = {PLURALS[kind]: await self.uow.records(kind, company).count() for kind in ResourceKind}
            counts["open_tasks"] = await self.uow.records(ResourceKind.TASK, company).count({"done": False})
            upcoming = await self.uow.records(ResourceKind.EVENT, company).list(
                ListRecords(
                    kind=ResourceKind.EVENT,
                    company_id=company,
                    limit=query.upcoming_limit,
                    window=EventWindow.UPCOMING,
                    now=now,
                )
            )
        counts["upcoming_events"] = upcoming.total
        return Dashboard(counts=counts, upcoming_events=[cast(Event, item) for item in upcoming.items])


class UploadFileHandler:
    """Bytes go to storage first, then the row; if the row cannot be written the bytes are removed."""

    def __init__(
        self, uow: BasicUnitOfWork, storage: FileStorage, policy: FilePolicy, clock: Clock, ids: IdGenerator
    ) -> None:
        self.uow, self.storage, self.policy, self.clock, self.ids = uow, storage, policy, clock, ids

    async def __call__(self, command: UploadFile) -> StoredFile:
        stored = StoredFile.upload(
            id=self.ids.new_id(),
            company_id=command.company_id,
            now=self.clock.now(),
            name=command.file_name,
            content_type=command.content_type,
            size_bytes=len(command.content),
            sha256=hashlib.sha256(command.content).hexdigest(),
            uploaded_by=command.uploaded_by,
            policy=self.policy,
        )
        await self.storage.save(stored.storage_key, command.content)
        try:
            async with self.uow:
                await self.uow.records(ResourceKind.FILE, command.company_id).add(stored)
                await self.uow.commit()
        except BaseException:
            await self.storage.delete(stored.storage_key)
            raise
        return stored


class GetFileContentHandler:
    def __init__(self, uow: BasicUnitOfWork, storage: FileStorage) -> None:
        self.uow, self.storage = uow, storage

    async def __call__(self, query: GetFileContent) -> tuple[StoredFile, bytes]:
        async with self.uow.reading():
            record = await self.uow.records(ResourceKind.FILE, query.company_id).get(query.file_id)
        stored = cast(StoredFile, record)
        try:
            content = await self.storage.read(stored.storage_key)
        except FileNotFoundError:
            raise RecordNotFound("file content") from None
        return stored, content


class GetCompanyProfileHandler:
    def __init__(self, uow: BasicUnitOfWork) -> None:
        self.uow = uow

    async def __call__(self, query: GetCompanyProfile) -> CompanyProfile:
        async with self.uow.reading():
            profile = await self.uow.profiles(query.company_id).get()
        return profile or CompanyProfile(company_id=query.company_id)


class UpdateCompanyProfileHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    async def __call__(self, command: UpdateCompanyProfile) -> CompanyProfile:
        async with self.uow:
            profiles = self.uow.profiles(command.company_id)
            profile = await profiles.get(for_update=True) or CompanyProfile(company_id=command.company_id)
            profile.change(command.changes, now=self.clock.now())
            await profiles.save(profile)
            await self.uow.commit()
        return profile
