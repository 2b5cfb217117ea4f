"""Core ↔ admin: the company registry (``/internal/companies``): pending → approved → suspended."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from kisum.adapters.contracts.wire import Body, Name, Out


class CompanyBody(Body):
    name: Name


class CompanyOut(Out):
    id: UUID
    name: str
    status: str
    entitlement_version: int
    created_at: datetime
    updated_at: datetime


class CompanyPageOut(Out):
    items: list[CompanyOut]
    page: int
    limit: int
    total: int
