"""What every client of another role's internal API shares: service auth, request ids, errors.

Each call carries a service token addressed to the target role and the current
``x-request-id``, has a tight timeout, and turns the target's problem responses back into
``DomainError``s that keep the target's ``code``: 400 → InvalidInput, 403 → Forbidden,
404 → NotFound, 409 → Conflict, 429 → RateLimited. The target unreachable, slow, 5xx, or
refusing our own service credentials (a deployment fault, not the caller's) → ``Unavailable``
(503, code ``<TARGET>_UNAVAILABLE``), so callers fail closed.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, ClassVar, Final, Self, TypeVar

import httpx
import msgspec

from kisum.adapters.request_context import current_request_id
from kisum.adapters.security.service_tokens import ServiceAuth, ServiceTokenIssuer
from kisum.config import Role, Settings
from kisum.domain.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, RateLimited, Unavailable

T = TypeVar("T")

_SERVICE_CODES: Final = frozenset({"SERVICE_UNAUTHENTICATED", "SERVICE_NOT_ALLOWED"})


class _ProblemBody(msgspec.Struct):
    code: str = "UPSTREAM_ERROR"
    detail: str = ""


def unavailable_code(target: Role) -> str:
    return f"{target.value.upper()}_UNAVAILABLE"


def error_from(response: httpx.Response, target: Role) -> DomainError:
    try:
        problem = msgspec.json.decode(response.content, type=_ProblemBody)
    except msgspec.DecodeError:
        problem = _ProblemBody(detail=response.text[:200])
    status, name = response.status_code, target.value
    detail = problem.detail or f"{name} answered {status}"
    if status == 401 or (status == 403 and problem.code in _SERVICE_CODES):
        return Unavailable(f"{name} refused this service's credentials ({problem.code})", code=unavailable_code(target))
    if status >= 500:
        return Unavailable(f"{name} failed with {status}", code=unavailable_code(target))
    if status == 403:
        return Forbidden(detail, code=problem.code)
    if status == 404:
        return NotFound(detail, code=problem.code)
    if status == 409:
        return Conflict(detail, code=problem.code)
    if status == 429:
        retry_after = response.headers.get("retry-after", "5")
        return RateLimited(detail, retry_after_seconds=int(retry_after) if retry_after.isdigit() else 5)
    return InvalidInput(detail, code=problem.code)


class InternalClient:
    """One per process and target (it owns a connection pool); close it with ``aclose`` or ``async with``."""

    target: ClassVar[Role]

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
    ) -> Self:
        return cls(
            settings.url_of(cls.target),
            ServiceAuth(issuer, cls.target),
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

    async def _call(
        self,
        method: str,
        path: str,
        result: type[T] | None,
        *,
        body: msgspec.Struct | None = None,
        params: dict[str, Any] | None = None,
    ) -> T:
        name, code = self.target.value, unavailable_code(self.target)
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
            raise Unavailable(f"{name} did not answer in time", code=code) from error
        except httpx.HTTPError as error:
            raise Unavailable(f"{name} is unreachable", code=code) from error
        if not response.is_success:
            raise error_from(response, self.target)
        if result is None:
            return None  # type: ignore[return-value]
        try:
            return msgspec.json.decode(response.content, type=result)
        except msgspec.DecodeError as error:
            raise Unavailable(f"{name} answered something unexpected", code=code) from error
