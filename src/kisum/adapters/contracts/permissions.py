"""Admin → auth: the permission catalog (``/internal/permissions``)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from kisum.adapters.contracts.wire import Body, Out

Description = Annotated[str, msgspec.Meta(max_length=500)]


class PermissionBody(Body):
    key: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    description: Description = ""


class PermissionOut(Out):
    key: str
    description: str


class PermissionPageOut(Out):
    items: list[PermissionOut]
    page: int
    limit: int
    total: int
