"""The admin role's way into auth's internal API (users, the permission catalog, owner memberships).

Service auth, request ids, timeouts and error mapping are ``InternalClient``'s.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote
from uuid import UUID

from kisum.adapters.clients.internal import InternalClient
from kisum.adapters.contracts.owners import OwnerBody, OwnerOut
from kisum.adapters.contracts.permissions import PermissionBody, PermissionOut, PermissionPageOut
from kisum.adapters.contracts.users import InternalUserOut
from kisum.config import Role


class AuthClient(InternalClient):
    target = Role.AUTH

    # --- users -------------------------------------------------------------------------------

    async def get_user(
        self, user_id: UUID, *, session_id: UUID | None = None, token_version: int | None = None
    ) -> InternalUserOut:
        """A user; with the token's session and version, also whether that token is still good."""
        params: dict[str, Any] = {}
        if session_id is not None and token_version is not None:
            params = {"sessionId": str(session_id), "tokenVersion": token_version}
        return await self._call("GET", f"/internal/users/{user_id}", InternalUserOut, params=params)

    # --- permission catalog ------------------------------------------------------------------

    async def list_permissions(self, *, page: int = 1, limit: int = 100) -> PermissionPageOut:
        params = {"page": page, "limit": limit}
        return await self._call("GET", "/internal/permissions", PermissionPageOut, params=params)

    async def create_permission(self, key: str, description: str = "") -> PermissionOut:
        body = PermissionBody(key=key, description=description)
        return await self._call("POST", "/internal/permissions", PermissionOut, body=body)

    async def delete_permission(self, key: str) -> None:
        await self._call("DELETE", f"/internal/permissions/{quote(key, safe='')}", None)

    # --- owners ------------------------------------------------------------------------------

    async def create_owner(self, company_id: UUID, *, email: str, name: str, password: str | None) -> OwnerOut:
        """Idempotent on (company, email): calling again returns the same user and membership."""
        body = OwnerBody(company_id=company_id, email=email, name=name, password=password)
        return await self._call("POST", "/internal/owners", OwnerOut, body=body)
