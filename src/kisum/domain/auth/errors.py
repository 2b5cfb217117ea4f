"""The auth context's errors: each fixes a stable ``code`` inside one DomainError family."""

from __future__ import annotations

from kisum.domain.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound, Unavailable
from kisum.domain.permissions import InvalidModule, InvalidPermission

__all__ = [
    "AlreadyMember",
    "DelegationExceeded",
    "EmailTaken",
    "EntitlementsUnavailable",
    "InvalidCredentials",
    "InvalidEmail",
    "InvalidModule",
    "InvalidName",
    "InvalidPermission",
    "InvalidRefreshToken",
    "MembershipNotFound",
    "NotAMember",
    "PasswordRequired",
    "PermissionExists",
    "PermissionNotFound",
    "PlatformAdminRequired",
    "RefreshTokenReused",
    "SessionNotFound",
    "TokenRevoked",
    "UnknownPermission",
    "WeakPassword",
]


class InvalidCredentials(NotAuthenticated):
    """Unknown email, wrong password and suspended user all look exactly like this (401)."""

    code = "INVALID_CREDENTIALS"

    def __init__(self, detail: str = "Invalid email or password.") -> None:
        super().__init__(detail)


class InvalidRefreshToken(NotAuthenticated):
    code = "INVALID_REFRESH_TOKEN"

    def __init__(self, detail: str = "The refresh token is invalid or expired.") -> None:
        super().__init__(detail)


class RefreshTokenReused(NotAuthenticated):
    """An already-rotated refresh token came back: the session has been revoked (401)."""

    code = "REFRESH_TOKEN_REUSED"

    def __init__(self, detail: str = "The refresh token was already used; the session is revoked.") -> None:
        super().__init__(detail)


class TokenRevoked(NotAuthenticated):
    """The access token's session is revoked/expired or its token version is old (401)."""

    code = "UNAUTHENTICATED"

    def __init__(self, detail: str = "The access token is no longer valid.") -> None:
        super().__init__(detail)


class InvalidEmail(InvalidInput):
    code = "INVALID_EMAIL"


class InvalidName(InvalidInput):
    code = "INVALID_NAME"


class WeakPassword(InvalidInput):
    code = "WEAK_PASSWORD"


class PasswordRequired(InvalidInput):
    code = "PASSWORD_REQUIRED"


class UnknownPermission(InvalidInput):
    code = "UNKNOWN_PERMISSION"


class DelegationExceeded(Forbidden):
    code = "DELEGATION_EXCEEDED"


class NotAMember(Forbidden):
    code = "NOT_A_MEMBER"

    def __init__(self, detail: str = "You are not a member of this company.") -> None:
        super().__init__(detail)


class PlatformAdminRequired(Forbidden):
    code = "PLATFORM_ADMIN_REQUIRED"

    def __init__(self, detail: str = "Platform administrator required.") -> None:
        super().__init__(detail)


class MembershipNotFound(NotFound):
    code = "MEMBERSHIP_NOT_FOUND"

    def __init__(self, detail: str = "Membership not found.") -> None:
        super().__init__(detail)


class SessionNotFound(NotFound):
    code = "SESSION_NOT_FOUND"

    def __init__(self, detail: str = "Session not found.") -> None:
        super().__init__(detail)


class PermissionNotFound(NotFound):
    code = "PERMISSION_NOT_FOUND"


class AlreadyMember(Conflict):
    code = "ALREADY_MEMBER"

    def __init__(self, detail: str = "This user is already a member of this company.") -> None:
        super().__init__(detail)


class EmailTaken(Conflict):
    """Adapters raise this when a concurrent insert hits the unique email (SQLSTATE 23505)."""

    code = "EMAIL_TAKEN"


class PermissionExists(Conflict):
    code = "PERMISSION_EXISTS"


class EntitlementsUnavailable(Unavailable):
    """Core could not answer; access is refused, never guessed (503)."""

    code = "ENTITLEMENTS_UNAVAILABLE"

    def __init__(self, detail: str = "Entitlements are unavailable.", *, retry_after_seconds: int = 5) -> None:
        super().__init__(detail, retry_after_seconds=retry_after_seconds)
