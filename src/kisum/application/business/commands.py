"""Changes to the Base module's records; each carries the tenant company it applies to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from kisum.domain.business.records import ResourceKind


@dataclass(frozen=True, slots=True)
class CreateRecord:
    kind: ResourceKind
    company_id: UUID
    values: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class UpdateRecord:
    kind: ResourceKind
    company_id: UUID
    record_id: UUID
    changes: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class DeleteRecord:
    kind: ResourceKind
    company_id: UUID
    record_id: UUID


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
