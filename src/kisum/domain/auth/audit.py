"""Audit entries: every change of grants, role, status, delegation, owners and the catalog."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

AuditValue = str | int | bool | None | tuple[str, ...]


class AuditAction(StrEnum):
    MEMBERSHIP_CREATED = "membership.created"
    OWNER_MEMBERSHIP_CREATED = "membership.owner_created"
    ROLE_CHANGED = "membership.role_changed"
    STATUS_CHANGED = "membership.status_changed"
    MODULES_GRANTED = "membership.modules_granted"
    MODULE_REVOKED = "membership.module_revoked"
    PERMISSIONS_GRANTED = "membership.permissions_granted"
    PERMISSION_REVOKED = "membership.permission_revoked"
    DELEGATION_SET = "membership.delegation_set"
    USER_CREATED = "user.created"
    PLATFORM_ADMIN_BOOTSTRAPPED = "user.platform_admin_bootstrapped"
    SESSIONS_REVOKED = "user.sessions_revoked"
    PERMISSION_CREATED = "catalog.permission_created"
    PERMISSION_DELETED = "catalog.permission_deleted"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Who did what to whom, when. ``actor`` is ``user:<uuid>`` or ``service:<role>``."""

    id: UUID
    at: datetime
    actor: str
    action: AuditAction
    company_id: UUID | None = None
    target_membership_id: UUID | None = None
    target_user_id: UUID | None = None
    details: Mapping[str, AuditValue] = field(default_factory=dict)


def user_actor(user_id: UUID) -> str:
    return f"user:{user_id}"


def service_actor(role: str) -> str:
    return f"service:{role}"
