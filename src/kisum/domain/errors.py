"""Domain errors carry a stable ``code``; the HTTP layer maps each family to one status.

A rule that is broken raises one of these families. Subclasses name the case and fix
the code, so a client can rely on ``code`` while ``detail`` stays human prose.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error that a rule of the system raises on purpose."""

    code: str = "DOMAIN_ERROR"

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    """The request is well-formed but breaks a rule about its values (HTTP 400)."""

    code = "INVALID_INPUT"


class NotAuthenticated(DomainError):
    """No valid identity (HTTP 401)."""

    code = "UNAUTHENTICATED"


class Forbidden(DomainError):
    """The identity is known but may not do this (HTTP 403)."""

    code = "FORBIDDEN"


class NotFound(DomainError):
    """The thing does not exist, or is not visible to the caller (HTTP 404)."""

    code = "NOT_FOUND"


class Conflict(DomainError):
    """The change clashes with the current state (HTTP 409)."""

    code = "CONFLICT"


class RateLimited(DomainError):
    """Too many attempts; ``retry_after`` says when to come back (HTTP 429)."""

    code = "RATE_LIMITED"

    def __init__(self, detail: str, *, retry_after_seconds: int, code: str | None = None) -> None:
        super().__init__(detail, code=code)
        self.retry_after_seconds = retry_after_seconds


class Unavailable(DomainError):
    """A dependency needed to answer is down; we fail closed (HTTP 503)."""

    code = "UNAVAILABLE"

    def __init__(self, detail: str, *, retry_after_seconds: int = 5, code: str | None = None) -> None:
        super().__init__(detail, code=code)
        self.retry_after_seconds = retry_after_seconds
