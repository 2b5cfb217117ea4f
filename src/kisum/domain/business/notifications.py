"""Notifications of the Base module: a user's own feed in one company.

A notification goes to one user, or to every holder of a permission in the company but one user
(the requester of an approval never hears about it as a decider). The backend cannot list a
company's members (auth owns them, and a non-manager may not ask), so a notification to "whoever
may decide" is one row addressed to the permission (its ``audience``): each member who holds that
permission when they read their feed sees it, and reads it for themselves only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final
from uuid import UUID

from kisum.domain.business.fields import text
from kisum.domain.errors import FieldInvalid

APPROVERS: Final = "basic.approval.decide"
"""The audience of a requested approval: every member who may decide it."""
AUDIENCES: Final = frozenset({APPROVERS})
"""Every permission a notification may be addressed to."""


class NotificationKind(StrEnum):
    APPROVAL_REQUESTED = "approval.requested"
    APPROVAL_APPROVED = "approval.approved"
    APPROVAL_REJECTED = "approval.rejected"
    OFFER_SENT = "offer.sent"
    OFFER_COUNTERED = "offer.countered"
    OFFER_ACCEPTED = "offer.accepted"
    OFFER_DECLINED = "offer.declined"
    AGREEMENT_SIGNED = "agreement.signed"


@dataclass(frozen=True, slots=True)
class Subject:
    """The record a notification is about."""

    kind: str
    id: UUID


@dataclass(frozen=True, slots=True)
class Recipients:
    """One user, or every holder of ``audience`` except ``excluded_user_id``."""

    user_id: UUID | None = None
    audience: str | None = None
    excluded_user_id: UUID | None = None

    def __post_init__(self) -> None:
        if (self.user_id is None) == (self.audience is None):
            raise ValueError("a notification goes to one user or to one audience")
        if self.audience is not None and self.audience not in AUDIENCES:
            raise ValueError(f"unknown audience {self.audience!r}")

    @classmethod
    def user(cls, user_id: UUID) -> Recipients:
        return cls(user_id=user_id)

    @classmethod
    def holders_of(cls, permission: str, *, except_user: UUID | None = None) -> Recipients:
        return cls(audience=permission, excluded_user_id=except_user)

    def includes(self, user_id: UUID, permissions: frozenset[str]) -> bool:
        if self.user_id is not None:
            return self.user_id == user_id
        return self.audience in permissions and user_id != self.excluded_user_id


@dataclass(frozen=True, slots=True)
class Notification:
    id: UUID
    company_id: UUID
    created_at: datetime
    kind: NotificationKind
    subject: Subject
    text: str
    recipients: Recipients

    @classmethod
    def new(
        cls,
        *,
        id: UUID,
        company_id: UUID,
        now: datetime,
        kind: NotificationKind,
        subject: Subject,
        text: str,
        to: Recipients,
    ) -> Notification:
        return cls(id, company_id, now, kind, subject, _TEXT("text", text) or kind.value, to)  # type: ignore[arg-type]


_TEXT = text(500)


@dataclass(frozen=True, slots=True)
class NotificationItem:
    """A notification as its reader sees it (``read_at`` is the reader's own)."""

    id: UUID
    kind: str
    subject: Subject
    text: str
    created_at: datetime
    read_at: datetime | None


class NotificationOrder(StrEnum):
    NEWEST = "-createdAt"
    OLDEST = "createdAt"

    @classmethod
    def parse(cls, raw: str | None) -> NotificationOrder:
        if raw is None or not raw.strip():
            return cls.NEWEST
        try:
            return cls(raw.strip())
        except ValueError:
            raise FieldInvalid("sort", f"{raw!r} is not a sort key of this list; use createdAt or -createdAt") from None
