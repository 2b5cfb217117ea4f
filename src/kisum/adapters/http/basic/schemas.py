"""Bodies (``…Body``) and answers (``…Out``) of the Base API, camelCase on the wire.

PUT bodies take only the fields to change (``UNSET`` = keep; ``null`` clears an optional field).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, TypeVar
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from kisum.adapters.http.common.schemas import Body, Out

Aware = Annotated[datetime, msgspec.Meta(tz=True)]
T = TypeVar("T", bound=msgspec.Struct)


def values_of(body: msgspec.Struct) -> dict[str, object]:
    """The fields the client sent (snake_case, as the domain names them)."""
    return {name: value for name in body.__struct_fields__ if (value := getattr(body, name)) is not UNSET}


def out_of(record: Any, kind: type[T]) -> T:
    return msgspec.convert(record, kind, from_attributes=True)


# --- artists ---------------------------------------------------------------------------------


class ArtistBody(Body):
    name: str
    genre: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None


class ArtistChangesBody(Body):
    name: str | UnsetType = UNSET
    genre: str | UnsetType | None = UNSET
    email: str | UnsetType | None = UNSET
    phone: str | UnsetType | None = UNSET
    notes: str | UnsetType | None = UNSET


class ArtistOut(Out):
    id: UUID
    name: str
    genre: str | None
    email: str | None
    phone: str | None
    notes: str | None
    created_at: datetime
    updated_at: datetime


class ArtistPage(Out):
    items: list[ArtistOut]
    page: int
    limit: int
    total: int


# --- venues ----------------------------------------------------------------------------------


class VenueBody(Body):
    name: str
    address: str | None = None
    city: str | None = None
    country: str | None = None
    capacity: int | None = None
    notes: str | None = None


class VenueChangesBody(Body):
    name: str | UnsetType = UNSET
    address: str | UnsetType | None = UNSET
    city: str | UnsetType | None = UNSET
    country: str | UnsetType | None = UNSET
    capacity: int | UnsetType | None = UNSET
    notes: str | UnsetType | None = UNSET


class VenueOut(Out):
    id: UUID
    name: str
    address: str | None
    city: str | None
    country: str | None
    capacity: int | None
    notes: str | None
    created_at: datetime
    updated_at: datetime


class VenuePage(Out):
    items: list[VenueOut]
    page: int
    limit: int
    total: int


# --- vendors ---------------------------------------------------------------------------------


class VendorBody(Body):
    name: str
    category: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None


class VendorChangesBody(Body):
    name: str | UnsetType = UNSET
    category: str | UnsetType | None = UNSET
    email: str | UnsetType | None = UNSET
    phone: str | UnsetType | None = UNSET
    notes: str | UnsetType | None = UNSET


class VendorOut(Out):
    id: UUID
    name: str
    category: str | None
    email: str | None
    phone: str | None
    notes: str | None
    created_at: datetime
    updated_at: datetime


class VendorPage(Out):
    items: list[VendorOut]
    page: int
    limit: int
    total: int


# --- agencies --------------------------------------------------------------------------------


class AgencyBody(Body):
    key: str
    name: str
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    notes: str | None = None


class AgencyChangesBody(Body):
    key: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    email: str | UnsetType | None = UNSET
    phone: str | UnsetType | None = UNSET
    website: str | UnsetType | None = UNSET
    notes: str | UnsetType | None = UNSET


class AgencyOut(Out):
    id: UUID
    key: str
    name: str
    email: str | None
    phone: str | None
    website: str | None
    notes: str | None
    created_at: datetime
    updated_at: datetime


class AgencyPage(Out):
    items: list[AgencyOut]
    page: int
    limit: int
    total: int


# --- events ----------------------------------------------------------------------------------


class EventBody(Body):
    name: str
    starts_at: Aware | None = None
    ends_at: Aware | None = None
    venue_id: UUID | None = None
    artist_ids: list[UUID] = []
    status: str | None = None
    notes: str | None = None


class EventChangesBody(Body):
    name: str | UnsetType = UNSET
    starts_at: Aware | UnsetType | None = UNSET
    ends_at: Aware | UnsetType | None = UNSET
    venue_id: UUID | UnsetType | None = UNSET
    artist_ids: list[UUID] | UnsetType = UNSET
    status: str | UnsetType | None = UNSET
    notes: str | UnsetType | None = UNSET


class EventOut(Out):
    id: UUID
    name: str
    starts_at: datetime | None
    ends_at: datetime | None
    venue_id: UUID | None
    artist_ids: list[UUID]
    status: str | None
    notes: str | None
    created_at: datetime
    updated_at: datetime


class EventPage(Out):
    items: list[EventOut]
    page: int
    limit: int
    total: int


# --- tasks -----------------------------------------------------------------------------------


class TaskBody(Body):
    name: str
    description: str | None = None
    assignee_user_id: UUID | None = None
    due_date: date | None = None
    done: bool = False


class TaskChangesBody(Body):
    name: str | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    assignee_user_id: UUID | UnsetType | None = UNSET
    due_date: date | UnsetType | None = UNSET
    done: bool | UnsetType = UNSET


class TaskOut(Out):
    id: UUID
    name: str
    description: str | None
    assignee_user_id: UUID | None
    due_date: date | None
    done: bool
    created_at: datetime
    updated_at: datetime


class TaskPage(Out):
    items: list[TaskOut]
    page: int
    limit: int
    total: int


# --- files -----------------------------------------------------------------------------------


class FileChangesBody(Body):
    name: str | UnsetType = UNSET


class FileOut(Out):
    id: UUID
    name: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: UUID
    created_at: datetime
    updated_at: datetime


class FilePage(Out):
    items: list[FileOut]
    page: int
    limit: int
    total: int


# --- company profile and dashboard -----------------------------------------------------------


class CompanyProfileChangesBody(Body):
    display_name: str | UnsetType | None = UNSET
    legal_name: str | UnsetType | None = UNSET
    tax_id: str | UnsetType | None = UNSET
    email: str | UnsetType | None = UNSET
    phone: str | UnsetType | None = UNSET
    website: str | UnsetType | None = UNSET
    address: str | UnsetType | None = UNSET
    city: str | UnsetType | None = UNSET
    country: str | UnsetType | None = UNSET
    currency: str | UnsetType | None = UNSET
    timezone: str | UnsetType | None = UNSET


class CompanyProfileOut(Out):
    id: UUID
    display_name: str | None
    legal_name: str | None
    tax_id: str | None
    email: str | None
    phone: str | None
    website: str | None
    address: str | None
    city: str | None
    country: str | None
    currency: str | None
    timezone: str | None
    updated_at: datetime | None


class DashboardCounts(Out):
    artists: int
    events: int
    upcoming_events: int
    agencies: int
    vendors: int
    venues: int
    tasks: int
    open_tasks: int
    files: int


class DashboardOut(Out):
    counts: DashboardCounts
    upcoming_events: list[EventOut]


class MyAccessOut(Out):
    user_id: UUID
    company_id: UUID
    membership_id: UUID
    role: str
    modules: list[str]
    permissions: list[str]
