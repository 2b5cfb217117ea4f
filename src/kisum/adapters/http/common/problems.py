"""RFC 9457 problem details for every error, whoever raised it.

Domain errors map to a status by family; Litestar's own errors (routing 404/405, body
validation 400, body too large 413) get the same shape with stable codes.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap

from kisum.adapters.request_context import current_request_id
from kisum.domain.errors import (
    Conflict,
    DomainError,
    FieldInvalid,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    RateLimited,
    Unavailable,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
logger = logging.getLogger("kisum.http")


class FieldProblem(msgspec.Struct, frozen=True):
    field: str
    message: str


class Problem(msgspec.Struct, frozen=True, rename="camel", omit_defaults=True):
    type: str
    title: str
    status: int
    detail: str
    code: str
    request_id: str | None = None
    errors: list[FieldProblem] | None = None


_DOMAIN_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (InvalidInput, 400),
    (NotAuthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (RateLimited, 429),
    (Unavailable, 503),
)

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

_HTTP_CODES = {
    400: "VALIDATION_ERROR",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "REQUEST_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
    503: "UNAVAILABLE",
}


def status_of(error: DomainError) -> int:
    for family, status in _DOMAIN_STATUS:
        if isinstance(error, family):
            return status
    return 400


def problem_bytes(
    status: int, code: str, detail: str, *, request_id: str | None, errors: list[FieldProblem] | None = None
) -> bytes:
    """The one place a problem document is built, inside Litestar or outside it (the outer middleware)."""
    problem = Problem(
        type=f"urn:kisum:problem:{code.lower().replace('_', '-')}",
        title=_TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        code=code,
        request_id=request_id,
        errors=errors,
    )
    return msgspec.json.encode(problem)


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    errors: list[FieldProblem] | None = None,
) -> Response[bytes]:
    return Response(
        content=problem_bytes(status, code, detail, request_id=current_request_id(), errors=errors),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _headers_for(error: DomainError) -> dict[str, str] | None:
    if isinstance(error, NotAuthenticated):
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(error, RateLimited | Unavailable):
        return {"Retry-After": str(max(1, error.retry_after_seconds))}
    return None


def domain_error_handler(_: Request[Any, Any, Any], error: DomainError) -> Response[bytes]:
    errors = None
    if isinstance(error, FieldInvalid):
        errors = [FieldProblem(field=issue.field, message=issue.message) for issue in error.issues]
    return problem_response(status_of(error), error.code, error.detail, headers=_headers_for(error), errors=errors)


_MSGSPEC_PATH = re.compile(r" - at `\$\.?(?P<path>[^`]*)`$")


def _field_problems(error: ValidationException) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    extra = error.extra if isinstance(error.extra, list) else []
    for item in extra:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", "invalid value"))
        match = _MSGSPEC_PATH.search(message)
        field = str(item.get("key") or (match.group("path") if match else "") or "body")
        problems.append(FieldProblem(field=field, message=_MSGSPEC_PATH.sub("", message)))
    return problems


def http_exception_handler(_: Request[Any, Any, Any], error: HTTPException) -> Response[bytes]:
    status = error.status_code
    if isinstance(error, ValidationException):
        problems = _field_problems(error)
        detail = "; ".join(f"{p.field}: {p.message}" for p in problems) or str(error.detail)
        return problem_response(400, "VALIDATION_ERROR", detail, errors=problems or None)
    headers = dict(error.headers or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    code = _HTTP_CODES.get(status, "HTTP_ERROR")
    return problem_response(status, code, str(error.detail), headers=headers or None)


def unexpected_error_handler(request: Request[Any, Any, Any], error: Exception) -> Response[bytes]:
    """Panic recovery: the stack goes to the log, never to the client."""
    logger.error(
        "unhandled error",
        exc_info=error,
        extra={"method": request.method, "path": request.url.path},
    )
    return problem_response(HTTP_500_INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "An unexpected error occurred.")


def exception_handlers() -> ExceptionHandlersMap:
    return {
        DomainError: domain_error_handler,
        HTTPException: http_exception_handler,
        Exception: unexpected_error_handler,
    }


__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "FieldProblem",
    "Problem",
    "exception_handlers",
    "problem_bytes",
    "problem_response",
    "status_of",
]
