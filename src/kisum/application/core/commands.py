"""Commands of the core context: what a caller asks core to change, named in the imperative.

On updates, ``None`` means "keep as is"; ``clear_description`` removes a description.
Statuses are plain strings here and are checked by the domain (``INVALID_STATUS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from kisum.domain.core.catalog import BASIC_PACKAGE_KEY


@dataclass(frozen=True, slots=True)
class CreateModule:
    key: str
    name: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateModule:
    key: str
    name: str | None = None
    description: str | None = None
    clear_description: bool = False


@dataclass(frozen=True, slots=True)
class DeleteModule:
    key: str


@dataclass(frozen=True, slots=True)
class CreatePackage:
    key: str
    modules: tuple[str, ...]
    name: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class UpdatePackage:
    key: str
    name: str | None = None
    description: str | None = None
    clear_description: bool = False
    modules: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class DeletePackage:
    key: str


@dataclass(frozen=True, slots=True)
class CreateAddon:
    key: str
    modules: tuple[str, ...]
    name: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateAddon:
    key: str
    name: str | None = None
    description: str | None = None
    clear_description: bool = False
    modules: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class DeleteAddon:
    key: str


@dataclass(frozen=True, slots=True)
class CreateCompany:
    name: str


@dataclass(frozen=True, slots=True)
class ApproveCompany:
    company_id: UUID


@dataclass(frozen=True, slots=True)
class SuspendCompany:
    company_id: UUID


@dataclass(frozen=True, slots=True)
class ActivateBasic:
    """Subscribe the company to its base package, replacing status and window."""

    company_id: UUID
    package_key: str = BASIC_PACKAGE_KEY
    status: str = "active"
    starts_at: datetime | None = None
    ends_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DeactivateBasic:
    """Stop the Basic subscription; the window is kept unless ``starts_at`` or ``ends_at`` is given."""

    company_id: UUID
    status: str = "canceled"
    starts_at: datetime | None = None
    ends_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ActivateAddon:
    company_id: UUID
    addon_key: str
    status: str = "active"
    starts_at: datetime | None = None
    ends_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DeactivateAddon:
    company_id: UUID
    addon_key: str
    status: str = "canceled"
    starts_at: datetime | None = None
    ends_at: datetime | None = None
