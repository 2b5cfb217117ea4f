"""The admin role's way into auth's internal API (users, the permission catalog, owner memberships).

Every call carries a service token addressed to auth and the current ``x-request-id``, has a
tight timeout, and turns auth's problem responses back into ``DomainError``s with auth's
``code``: 400 → InvalidInput, 403 → Forbidden, 404 → NotFound, 409 → Conflict, 429 →
RateLimited. Auth unreachable, slow, 5xx, or refusing our own service credentials (401/403 with
a service code: a deployment fault, not the user's) → ``Unavailable`` (503), so callers fail closed.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Final, Self, TypeVar
from urllib.parse import quote
from uuid import UUID

import httpx
import msgspec

from kisum.adapters.http.auth.schemas import (
    InternalUserOut,
    OwnerBody,
    OwnerOut,
    PermissionBody,
    PermissionOut,
    PermissionPageOut,
)
from kisum.adapters.http.common.context import current_request_id
from kisum.adapters.security.service_tokens import ServiceAuth, ServiceTokenIssuer
from kisum.config import Role, Settings
from kisum.domain.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, RateLimited, Unavailable

T = TypeVar("T")

AUTH_UNAVAILABLE: Final = "AUTH_UNAVAILABLE"
_SERVICE_CODES: Final = frozenset({"SERVICE_UNAUTHENTICATED", "SERVICE_NOT_ALLOWED"})


class _ProblemBody(msgspec.Struct):
    code: str = "AUTH_ERROR"
    detail: str = ""


def _error_from(response: httpx.Response) -> DomainError:
    try:
        problem = msgspec.json.decode(response.content, type=_ProblemBody)
    except msgspec.DecodeError:
        problem = _ProblemBody(detail=response.text[:200])
    status = response.status_code
    detail = problem.detail or f"auth answered {status}"
    if status == 401 or (status == 403 and problem.code in _SERVICE_CODES):
        return Unavailable(f"auth refused this service's credentials ({problem.code})", code=AUTH_UNAVAILABLE)
    if status in (400, 422):
        return InvalidInput(detail, code=problem.code)
    if status == 403:
        return Forbidden(detail, code=problem.code)
    if status == 404:
        return NotFound(detail, code=problem.code)
    if status == 409:
        return Conflict(detail, code=problem.code)
    if status == 429:
        retry_after = response.headers.get("retry-after", "5")
        return RateLimited(detail, retry_after_seconds=int(retry_after) if retry_after.isdigit() else 5)
    if status >= 500:
        return Unavailable(f"auth failed with {status}", code=AUTH_UNAVAILABLE)
    return InvalidInput(detail, code=problem.code)


class AuthClient:
    """One per process (it owns a connection pool); close it with ``aclose`` or ``async with``."""

    def __init__(
        self,
        base_url: str,
        auth: httpx.Auth,
        *,
        timeout_seconds: float = 2.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            auth=auth,
            timeout=httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, 1.0)),
            transport=transport,
            follow_redirects=False,
            headers={"accept": "application/json"},
        )

    @classmethod
    def from_settings(
        cls, settings: Settings, issuer: ServiceTokenIssuer, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> AuthClient:
        return cls(
            settings.url_of(Role.AUTH),
            ServiceAuth(issuer, Role.AUTH),
            timeout_seconds=settings.internal_call_timeout_seconds,
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

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

    # --- transport ---------------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        result: type[T] | None,
        *,
        body: msgspec.Struct | None = None,
        params: dict[str, Any] | None = None,
    ) -> T:
        headers: dict[str, str] = {}
        request_id = current_request_id()
        if request_id:
            headers["x-request-id"] = request_id
        content: bytes | None = None
        if body is not None:
            content = msgspec.json.encode(body)
            headers["content-type"] = "application/json"
        try:
            response = await self._client.request(method, path, content=content, params=params, headers=headers)
        except httpx.TimeoutException as error:
            raise Unavailable("auth did not answer in time", code=AUTH_UNAVAILABLE) from error
        except httpx.HTTPError as error:
            raise Unavailable("auth is unreachable", code=AUTH_UNAVAILABLE) from error
        if not response.is_success:
            raise _error_from(response)
        if result is None:
            return None  # type: ignore[return-value]
        try:
            return msgspec.json.decode(response.content, type=result)
        except msgspec.DecodeError as error:
            raise Unavailable("auth answered something unexpected", code=AUTH_UNAVAILABLE) from error
