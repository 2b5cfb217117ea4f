"""Admin → auth: a user (``GET /internal/users/{userId}``), and whether an access token is still good."""

from __future__ import annotations

from uuid import UUID

from kisum.adapters.contracts.wire import Out


class InternalUserOut(Out):
    """A user as the admin role sees it. ``sessionActive`` answers "is this access token still
    good?" when the caller passed the token's ``sessionId`` and ``tokenVersion`` (else null)."""

    id: UUID
    email: str
    name: str
    is_platform_admin: bool
    session_active: bool | None = None
