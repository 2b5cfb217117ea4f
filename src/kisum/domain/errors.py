"""Domain errors carry a stable ``code``; the HTTP layer maps each family to one status.

A rule that is broken raises one of these families. Subclasses name the case and fix
the code, so a client can rely on ``code`` while ``detail`` stays human prose.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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


def wire_name(field: str) -> str:
    """``artist_ids`` → ``artistIds``: the name a client sends and reads (idempotent on camelCase)."""
    head, *rest = field.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@dataclass(frozen=True, slots=True)
class FieldIssue:
    """One field that breaks a rule, named as the client spells it."""

    field: str
    message: str


class FieldInvalid(InvalidInput):
    """One or more fields break their rules (HTTP 400 listing every one in ``errors``).

    The one field-error type of every context: rules name fields by their domain name and the
    error carries the wire name (camelCase); ``field`` is the first failing one.
    """

    code = "VALIDATION_ERROR"

    def __init__(self, field: str, message: str) -> None:
        self._init((FieldIssue(wire_name(field), message),))

    @classmethod
    def of(cls, issues: Iterable[FieldIssue], *, detail: str | None = None) -> FieldInvalid:
        """The error for ``issues`` (wire names already); ``detail`` defaults to listing them."""
        error = cls.__new__(cls)
        error._init(tuple(issues), detail)
        return error

    def _init(self, issues: tuple[FieldIssue, ...], detail: str | None = None) -> None:
        if not issues:
            raise ValueError("FieldInvalid needs at least one issue")
        super().__init__(detail or "; ".join(f"{issue.field}: {issue.message}" for issue in issues))
        self.issues = issues
        self.field = issues[0].field


class FieldIssues:
    """Collects the issues of several fields so one 400 names all of them."""

    def __init__(self) -> None:
        self.found: list[FieldIssue] = []

    def add(self, error: FieldInvalid) -> None:
        self.found.extend(issue for issue in error.issues if issue not in self.found)

    def raise_any(self) -> None:
        if self.found:
            raise FieldInvalid.of(self.found)


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
