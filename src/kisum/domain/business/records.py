"""The tenant-owned records of the Base module and their rules.

Every record belongs to exactly one company (``company_id``), fixed at creation. Values are
cleaned by the record's field rules on create and on change; cross-field rules live in
``check``. A change that breaks a rule leaves the record as it was.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar, Self
from uuid import UUID

from kisum.domain.business import fields as f
from kisum.domain.business.errors import FieldInvalid, FileTooLarge, FileTypeNotAllowed


class ResourceKind(StrEnum):
    ARTIST = "artist"
    EVENT = "event"
    AGENCY = "agency"
    VENDOR = "vendor"
    VENUE = "venue"
    TASK = "task"
    FILE = "file"


NAME = f.text(200, required=True)
NOTES = f.text(5000)


@dataclass(slots=True, kw_only=True)
class TenantRecord:
    """Base of every record: identity, owning company, timestamps, and the generic rule runner."""

    KIND: ClassVar[ResourceKind]
    RULES: ClassVar[Mapping[str, f.FieldRule]]
    REQUIRED: ClassVar[frozenset[str]] = frozenset({"name"})
    REFERENCES: ClassVar[Mapping[str, ResourceKind]] = {}
    """Fields holding ids of other records of the same company (checked by the application)."""
    UNIQUE: ClassVar[tuple[str, ...]] = ()
    FILTERS: ClassVar[frozenset[str]] = frozenset()
    """Fields a list may be filtered on by equality."""

    id: UUID
    company_id: UUID
    created_at: datetime
    updated_at: datetime

    @classmethod
    def clean(cls, values: Mapping[str, object], *, creating: bool) -> dict[str, Any]:
        unknown = sorted(set(values) - set(cls.RULES))
        if unknown:
            raise FieldInvalid(unknown[0], "is not a field of this record")
        if creating:
            missing = sorted(cls.REQUIRED - values.keys())
            if missing:
                raise FieldInvalid(missing[0], "is required")
        return {name: cls.RULES[name](name, value) for name, value in values.items()}

    @classmethod
    def create(cls, *, id: UUID, company_id: UUID, now: datetime, values: Mapping[str, object]) -> Self:
        record = cls(id=id, company_id=company_id, created_at=now, updated_at=now, **cls.clean(values, creating=True))
        record.check()
        return record

    def change(self, changes: Mapping[str, object], *, now: datetime) -> None:
        clean = self.clean(changes, creating=False)
        before = {name: getattr(self, name) for name in clean}
        for name, value in clean.items():
            setattr(self, name, value)
        try:
            self.check()
        except FieldInvalid:
            for name, value in before.items():
                setattr(self, name, value)
            raise
        self.updated_at = now

    def check(self) -> None:
        """Rules across fields; none by default."""

    def referenced_ids(self, field_name: str) -> tuple[UUID, ...]:
        value = getattr(self, field_name)
        if value is None:
            return ()
        if isinstance(value, UUID):
            return (value,)
        return tuple(value)


@dataclass(slots=True, kw_only=True)
class Artist(TenantRecord):
    KIND = ResourceKind.ARTIST
    RULES = {"name": NAME, "genre": f.text(100), "email": f.email, "phone": f.text(50), "notes": NOTES}
    FILTERS = frozenset({"genre"})

    name: str
    genre: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None


@dataclass(slots=True, kw_only=True)
class Venue(TenantRecord):
    KIND = ResourceKind.VENUE
    RULES = {
        "name": NAME,
        "address": f.text(500),
        "city": f.text(100),
        "country": f.upper_code(2),
        "capacity": f.whole_number(0, 10_000_000),
        "notes": NOTES,
    }
    FILTERS = frozenset({"city", "country"})

    name: str
    address: str | None = None
    city: str | None = None
    country: str | None = None
    capacity: int | None = None
    notes: str | None = None


@dataclass(slots=True, kw_only=True)
class Vendor(TenantRecord):
    KIND = ResourceKind.VENDOR
    RULES = {"name": NAME, "category": f.text(100), "email": f.email, "phone": f.text(50), "notes": NOTES}
    FILTERS = frozenset({"category"})

    name: str
    category: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None


@dataclass(slots=True, kw_only=True)
class Agency(TenantRecord):
    """An agency is known by a short ``key``, unique inside its company."""

    KIND = ResourceKind.AGENCY
    RULES = {"key": f.key, "name": NAME, "email": f.email, "phone": f.text(50), "website": f.url, "notes": NOTES}
    REQUIRED = frozenset({"key", "name"})
    UNIQUE = ("key",)

    key: str
    name: str
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    notes: str | None = None


class EventWindow(StrEnum):
    """``upcoming``: not over yet; ``past``: over. Events without a date are only in ``all``."""

    ALL = "all"
    UPCOMING = "upcoming"
    PAST = "past"


@dataclass(slots=True, kw_only=True)
class Event(TenantRecord):
    KIND = ResourceKind.EVENT
    RULES = {
        "name": NAME,
        "starts_at": f.instant,
        "ends_at": f.instant,
        "venue_id": f.reference,
        "artist_ids": f.references(100),
        "status": f.text(30),
        "notes": NOTES,
    }
    REFERENCES = {"venue_id": ResourceKind.VENUE, "artist_ids": ResourceKind.ARTIST}
    FILTERS = frozenset({"venue_id", "artist_id", "status"})

    name: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    venue_id: UUID | None = None
    artist_ids: tuple[UUID, ...] = ()
    status: str | None = None
    notes: str | None = None

    def check(self) -> None:
        if self.ends_at is not None and self.starts_at is None:
            raise FieldInvalid("starts_at", "is required when endsAt is set")
        if self.starts_at is not None and self.ends_at is not None and self.ends_at < self.starts_at:
            raise FieldInvalid("ends_at", "must not be before startsAt")

    def ends(self) -> datetime | None:
        """When the event is over: its end, or its start when it has no end."""
        return self.ends_at or self.starts_at

    def is_in(self, window: EventWindow, now: datetime) -> bool:
        if window is EventWindow.ALL:
            return True
        end = self.ends()
        if end is None:
            return False
        return end >= now if window is EventWindow.UPCOMING else end < now


@dataclass(slots=True, kw_only=True)
class Task(TenantRecord):
    KIND = ResourceKind.TASK
    RULES = {
        "name": NAME,
        "description": NOTES,
        "assignee_user_id": f.reference,
        "due_date": f.day,
        "done": f.flag,
    }
    FILTERS = frozenset({"done", "assignee_user_id"})

    name: str
    description: str | None = None
    assignee_user_id: UUID | None = None
    due_date: date | None = None
    done: bool = False


@dataclass(frozen=True, slots=True)
class FilePolicy:
    """What an upload may be: at most ``max_bytes``, one of ``allowed_types``."""

    max_bytes: int
    allowed_types: frozenset[str]

    def check(self, *, content_type: str, size: int) -> str:
        kind = content_type.split(";", 1)[0].strip().lower()
        if kind not in self.allowed_types:
            raise FileTypeNotAllowed(kind or "(none)")
        if size > self.max_bytes:
            raise FileTooLarge(self.max_bytes)
        return kind


_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_file_name(raw: str | None) -> str:
    """The last path segment, normalised, without characters that are unsafe in a file name."""
    base = unicodedata.normalize("NFC", (raw or "").replace("\\", "/").rsplit("/", 1)[-1])
    cleaned = _UNSAFE_NAME.sub("_", base).strip(" .")
    return cleaned[:200] or "file"


@dataclass(slots=True, kw_only=True)
class StoredFile(TenantRecord):
    """Metadata of an uploaded file; the bytes live in storage under ``storage_key``."""

    KIND = ResourceKind.FILE
    RULES = {"name": NAME}
    FILTERS = frozenset({"content_type"})

    name: str
    content_type: str
    size_bytes: int
    sha256: str
    storage_key: str
    uploaded_by: UUID

    @classmethod
    def upload(
        cls,
        *,
        id: UUID,
        company_id: UUID,
        now: datetime,
        name: str | None,
        content_type: str,
        size_bytes: int,
        sha256: str,
        uploaded_by: UUID,
        policy: FilePolicy,
    ) -> StoredFile:
        kind = policy.check(content_type=content_type, size=size_bytes)
        return cls(
            id=id,
            company_id=company_id,
            created_at=now,
            updated_at=now,
            name=safe_file_name(name),
            content_type=kind,
            size_bytes=size_bytes,
            sha256=sha256,
            storage_key=f"{company_id}/{id}",
            uploaded_by=uploaded_by,
        )


RECORD_TYPES: Mapping[ResourceKind, type[TenantRecord]] = {
    ResourceKind.ARTIST: Artist,
    ResourceKind.EVENT: Event,
    ResourceKind.AGENCY: Agency,
    ResourceKind.VENDOR: Vendor,
    ResourceKind.VENUE: Venue,
    ResourceKind.TASK: Task,
    ResourceKind.FILE: StoredFile,
}

NOUNS: Mapping[ResourceKind, str] = {kind: kind.value for kind in ResourceKind}


@dataclass(slots=True, kw_only=True)
class CompanyProfile:
    """A company's business metadata as the Base module keeps it (the registry lives in core)."""

    RULES: ClassVar[Mapping[str, f.FieldRule]] = {
        "display_name": f.text(200),
        "legal_name": f.text(200),
        "tax_id": f.text(50),
        "email": f.email,
        "phone": f.text(50),
        "website": f.url,
        "address": f.text(500),
        "city": f.text(100),
        "country": f.upper_code(2),
        "currency": f.upper_code(3),
        "timezone": f.text(64),
    }

    company_id: UUID
    display_name: str | None = None
    legal_name: str | None = None
    tax_id: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = None
    currency: str | None = None
    timezone: str | None = None
    updated_at: datetime | None = None

    def change(self, changes: Mapping[str, object], *, now: datetime) -> None:
        unknown = sorted(set(changes) - set(self.RULES))
        if unknown:
            raise FieldInvalid(unknown[0], "is not a field of the company profile")
        clean = {name: self.RULES[name](name, value) for name, value in changes.items()}
        for name, value in clean.items():
            setattr(self, name, value)
        self.updated_at = now
