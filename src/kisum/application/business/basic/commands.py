"""Changes to the Base backend's records: generic ones for every declared resource, uploads, the profile.

Each command carries the tenant company it applies to; each handler loads through the company's
repositories, applies the domain, and commits once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from kisum.application.business.basic.ledger import settle_money_line
from kisum.application.business.basic.ports import BasicUnitOfWork, FileStorage
from kisum.application.business.basic.queries import check_parent, in_parent, load
from kisum.application.ports import Clock, IdGenerator
from kisum.domain.business.booking import RecordInUse
from kisum.domain.business.errors import UnknownReference
from kisum.domain.business.records import (
    RECORD_TYPES,
    RESTRICTED_BY,
    CompanyProfile,
    FilePolicy,
    MoneyLine,
    ResourceKind,
    StoredFile,
    TenantRecord,
)
from kisum.domain.errors import FieldIssue, wire_name

logger = logging.getLogger("kisum.basic")


@dataclass(frozen=True, slots=True)
class CreateRecord:
    kind: ResourceKind
    company_id: UUID
    values: Mapping[str, object]
    """Domain field name → value as the client sent it; the declaration's rules clean it."""
    parent_id: UUID | None = None
    """For a nested resource: the record it belongs to (from the path)."""


@dataclass(frozen=True, slots=True)
class UpdateRecord:
    kind: ResourceKind
    company_id: UUID
    record_id: UUID
    changes: Mapping[str, object]
    parent_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class DeleteRecord:
    kind: ResourceKind
    company_id: UUID
    record_id: UUID
    parent_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class UploadFile:
    company_id: UUID
    uploaded_by: UUID
    file_name: str | None
    content_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class UpdateCompanyProfile:
    company_id: UUID
    changes: Mapping[str, object]


async def check_references(uow: BasicUnitOfWork, record: TenantRecord, names: set[str]) -> None:
    """Ids a record points at must be records of the same company (else 400 naming each field)."""
    issues: list[FieldIssue] = []
    for name, kind in record.DECLARATION.references.items():
        wanted = set(record.referenced_ids(name)) if name in names else set()
        if wanted and wanted - await uow.records(ResourceKind(kind), record.company_id).existing_ids(wanted):
            issues.append(FieldIssue(wire_name(name), f"refers to a {kind} that does not exist"))
    if issues:
        raise UnknownReference.of(issues)


class CreateRecordHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self.uow, self.clock, self.ids = uow, clock, ids

    async def __call__(self, command: CreateRecord) -> TenantRecord:
        record_type = RECORD_TYPES[command.kind]
        if not record_type.DECLARATION.creatable:
            raise ValueError(f"{command.kind.value} records are not created by CreateRecord")
        parent = record_type.DECLARATION.parent
        system = {} if parent is None else {parent: command.parent_id}
        now = self.clock.now()
        record = record_type.create(
            id=self.ids.new_id(),
            company_id=command.company_id,
            now=now,
            values=command.values,
            system=system,
        )
        async with self.uow:
            await check_parent(self.uow, command.kind, command.company_id, command.parent_id)
            if isinstance(record, MoneyLine):
                await settle_money_line(self.uow, record, created=True, ids=self.ids, now=now)
            await check_references(self.uow, record, set(command.values))
            await self.uow.records(command.kind, command.company_id).add(record)
            await self.uow.commit()
        return record


class UpdateRecordHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    async def __call__(self, command: UpdateRecord) -> TenantRecord:
        now = self.clock.now()
        async with self.uow:
            records = self.uow.records(command.kind, command.company_id)
            record = in_parent(await load(records, command.record_id, for_update=True), command.parent_id).as_of(now)
            record.change(command.changes, now=now)
            if isinstance(record, MoneyLine):
                await settle_money_line(self.uow, record, created=False, now=record.updated_at)
            await check_references(self.uow, record, set(command.changes))
            await records.save(record)
            await self.uow.commit()
        return record


async def check_not_referred_to(uow: BasicUnitOfWork, record: TenantRecord) -> None:
    """A record that others point at (``RESTRICTED_BY``) cannot be deleted: 409 naming who points."""
    users: list[str] = []
    for kind, field_name in RESTRICTED_BY.get(record.kind, ()):
        count = await uow.records(kind, record.company_id).count({field_name: record.id})
        if count:
            users.append(f"{count} {RECORD_TYPES[kind].DECLARATION.plural if count > 1 else kind.value}")
    if users:
        raise RecordInUse(f"The {record.kind.value} is referred to by {' and '.join(users)}; it cannot be deleted.")


class DeleteRecordHandler:
    """Removes the record, unless it refuses (a state, others pointing at it) or is kept changed
    in place (``before_delete``: an avail is released)."""

    def __init__(self, uow: BasicUnitOfWork, storage: FileStorage, clock: Clock) -> None:
        self.uow, self.storage, self.clock = uow, storage, clock

    async def __call__(self, command: DeleteRecord) -> None:
        now = self.clock.now()
        async with self.uow:
            records = self.uow.records(command.kind, command.company_id)
            record = in_parent(await load(records, command.record_id, for_update=True), command.parent_id).as_of(now)
            if record.before_delete(now):
                await records.save(record)
            else:
                await check_not_referred_to(self.uow, record)
                await records.delete(record)
            await self.uow.commit()
        if isinstance(record, StoredFile):
            try:
                await self.storage.delete(record.storage_key)
            except OSError:  # the row is gone; an orphan blob is harmless and logged
                logger.warning("could not delete stored bytes", extra={"storageKey": record.storage_key})


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
