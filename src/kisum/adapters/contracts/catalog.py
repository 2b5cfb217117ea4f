"""Core ↔ admin: the catalog of modules, packages and addons (``/internal/catalog/...``).

Admin validates with the same bodies before proxying, so it refuses exactly what core would.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from kisum.adapters.contracts.wire import Body, Name, Out

Key = Annotated[str, msgspec.Meta(min_length=1, max_length=48)]
Description = Annotated[str, msgspec.Meta(max_length=2000)]
ModuleKeys = Annotated[list[Key], msgspec.Meta(min_length=1, max_length=100)]


class ModuleBody(Body):
    key: Key
    name: Name | None = None
    description: Description | None = None


class ModulePatchBody(Body):
    name: Name | UnsetType = UNSET
    description: Description | UnsetType | None = UNSET


class ModuleOut(Out):
    key: str
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime


class OfferBody(Body):
    key: Key
    modules: ModuleKeys
    name: Name | None = None
    description: Description | None = None


class OfferPatchBody(Body):
    name: Name | UnsetType = UNSET
    description: Description | UnsetType | None = UNSET
    modules: ModuleKeys | UnsetType = UNSET


class PackageBody(OfferBody):
    pass


class PackagePatchBody(OfferPatchBody):
    pass


class AddonBody(OfferBody):
    pass


class AddonPatchBody(OfferPatchBody):
    pass


class OfferOut(Out):
    key: str
    name: str
    description: str | None
    modules: list[str]
    created_at: datetime
    updated_at: datetime


class PackageOut(OfferOut):
    pass


class AddonOut(OfferOut):
    pass


class ModulePageOut(Out):
    items: list[ModuleOut]
    page: int
    limit: int
    total: int


class PackagePageOut(Out):
    items: list[PackageOut]
    page: int
    limit: int
    total: int


class AddonPageOut(Out):
    items: list[AddonOut]
    page: int
    limit: int
    total: int
