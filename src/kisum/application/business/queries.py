"""Reads of the Base module (they return records or read models, they change nothing)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from kisum.domain.business.records import EventWindow, ResourceKind

MAX_LIMIT = 100


@dataclass(frozen=True, slots=True)
class GetRecord:
    kind: ResourceKind
    company_id: UUID
    record_id: UUID


@dataclass(frozen=True, slots=True)
class ListRecords:
    kind: ResourceKind
    company_id: UUID
    page: int = 1
    limit: int = 20
    search: str | None = None
    filters: Mapping[str, object] = field(default_factory=dict)
    window: EventWindow = EventWindow.ALL
    now: datetime | None = None
    """Required for an ``upcoming``/``past`` window of events; set by the handler."""

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


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
