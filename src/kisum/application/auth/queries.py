"""Queries of the auth context: ``Get…`` / ``List…`` answered with read models (``views``)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from kisum.application.auth.commands import TenantActor


@dataclass(frozen=True, slots=True)
class AuthenticateAccessToken:
    """Claims of an access token whose signature, exp, iss, aud and typ were already verified."""

    user_id: UUID
    session_id: UUID
    token_version: int


@dataclass(frozen=True, slots=True)
class GetMe:
    user_id: UUID


@dataclass(frozen=True, slots=True)
class GetMyAccess:
    """Claims of a verified access token (the handler checks its session itself) and ``x-org``."""

    user_id: UUID
    session_id: UUID
    token_version: int
    company_id: UUID


@dataclass(frozen=True, slots=True)
class ListMySessions:
    user_id: UUID
    current_session_id: UUID | None = None
    page: int = 1
    limit: int = 20


@dataclass(frozen=True, slots=True)
class ListTenantUsers:
    actor: TenantActor
    page: int = 1
    limit: int = 20


@dataclass(frozen=True, slots=True)
class ListPermissions:
    page: int = 1
    limit: int = 100
