"""Login sessions and refresh-token rotation with reuse detection (DESIGN §3).

A session stores only hashes of refresh tokens. Every refresh rotates the token: the current
hash moves to ``previous_token_hashes`` and a new one becomes current. Presenting a hash that
is in ``previous_token_hashes`` means a rotated token came back (stolen, or replayed): the
whole session is revoked and ``RefreshTokenReused`` is raised. The caller must persist the
revocation before letting the error out.

``previous_token_hashes`` holds the rotated hashes this copy knows of. Rotation only ever adds
to it, and reuse detection only asks whether the presented hash is in it, so a session loaded
by a presented hash need only know that one hash (if it was rotated), not its whole history.

Sessions have an absolute lifetime from their creation; refreshing never extends it.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from kisum.domain.auth.errors import InvalidRefreshToken, RefreshTokenReused

MAX_USER_AGENT_LENGTH = 512
MAX_IP_LENGTH = 64


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    absolute_lifetime: timedelta = timedelta(days=30)

    def __post_init__(self) -> None:
        if self.absolute_lifetime <= timedelta(0):
            raise ValueError("absolute_lifetime must be positive")


class RevocationReason(StrEnum):
    LOGOUT = "logout"
    LOGOUT_ALL = "logout_all"
    REVOKED_BY_USER = "revoked_by_user"
    REFRESH_TOKEN_REUSED = "refresh_token_reused"  # noqa: S105 - a reason, not a secret
    USER_INACTIVE = "user_inactive"


def clean_user_agent(raw: str | None) -> str | None:
    if raw is None:
        return None
    text = "".join(ch for ch in raw if not unicodedata.category(ch).startswith("C")).strip()
    return text[:MAX_USER_AGENT_LENGTH] or None


def clean_ip(raw: str | None) -> str | None:
    """The canonical text of a valid IP address; anything else is kept only as truncated text."""
    if raw is None:
        return None
    text = raw.strip()
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        cleaned = "".join(ch for ch in text if ch.isprintable())[:MAX_IP_LENGTH]
        return cleaned or None


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("datetimes in the domain must be timezone-aware")
    return instant


def session_is_live(*, revoked_at: datetime | None, expires_at: datetime, now: datetime) -> bool:
    """Not revoked and not past its absolute lifetime (the rule behind ``Session.is_live``)."""
    return revoked_at is None and now < expires_at


@dataclass(slots=True)
class Session:
    id: UUID
    user_id: UUID
    refresh_token_hash: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime
    user_agent: str | None = None
    ip: str | None = None
    previous_token_hashes: frozenset[str] = field(default_factory=frozenset)
    revoked_at: datetime | None = None
    revoked_reason: RevocationReason | None = None

    @classmethod
    def start(
        cls,
        *,
        session_id: UUID,
        user_id: UUID,
        refresh_token_hash: str,
        now: datetime,
        policy: SessionPolicy,
        user_agent: str | None,
        ip: str | None,
    ) -> Session:
        now = _aware(now)
        if not refresh_token_hash:
            raise ValueError("a session needs a refresh token hash")
        return cls(
            id=session_id,
            user_id=user_id,
            refresh_token_hash=refresh_token_hash,
            created_at=now,
            expires_at=now + policy.absolute_lifetime,
            last_used_at=now,
            user_agent=clean_user_agent(user_agent),
            ip=clean_ip(ip),
        )

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def is_live(self, now: datetime) -> bool:
        return session_is_live(revoked_at=self.revoked_at, expires_at=self.expires_at, now=now)

    def revoke(self, now: datetime, reason: RevocationReason) -> bool:
        """Revoke once; returns False if it already was (the first reason is kept)."""
        if self.is_revoked:
            return False
        self.revoked_at = _aware(now)
        self.revoked_reason = reason
        return True

    def rotate(self, *, presented_hash: str, new_hash: str, now: datetime) -> None:
        """Swap the presented (current) refresh token for ``new_hash``.

        - current hash on a live session: rotated, ``last_used_at`` updated;
        - an already-rotated hash: the session is revoked, ``RefreshTokenReused`` raised
          (even if the session had been revoked or expired: reuse is always reported);
        - anything else, or a revoked/expired session: ``InvalidRefreshToken``.
        """
        now = _aware(now)
        if presented_hash in self.previous_token_hashes:
            self.revoke(now, RevocationReason.REFRESH_TOKEN_REUSED)
            raise RefreshTokenReused()
        if presented_hash != self.refresh_token_hash or not self.is_live(now):
            raise InvalidRefreshToken()
        if not new_hash or new_hash == self.refresh_token_hash or new_hash in self.previous_token_hashes:
            raise ValueError("the new refresh token hash must be fresh")
        self.previous_token_hashes = self.previous_token_hashes | {self.refresh_token_hash}
        self.refresh_token_hash = new_hash
        self.last_used_at = now
