"""Subscriptions (the Basic package, and addons) and the time windows in which they count.

A subscription is *active* at an instant when its status is ``active`` or ``trialing`` and the
instant lies in ``[starts_at, ends_at)``; a missing bound is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kisum.domain.core.errors import InvalidStatus, InvalidWindow


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    TRIALING = "trialing"
    PAST_DUE = "past_due"
    CANCELED = "canceled"
    EXPIRED = "expired"

    @property
    def grants_access(self) -> bool:
        return self in GRANTING_STATUSES


GRANTING_STATUSES = frozenset({SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING})


def parse_status(value: str) -> SubscriptionStatus:
    try:
        return SubscriptionStatus(value)
    except ValueError:
        allowed = ", ".join(status.value for status in SubscriptionStatus)
        raise InvalidStatus(f"unknown status {value!r}; use one of {allowed}") from None


def _require_aware(value: datetime | None, name: str) -> None:
    if value is not None and value.tzinfo is None:
        raise InvalidWindow(f"{name} must carry a timezone")


@dataclass(frozen=True, slots=True)
class Window:
    """``[starts_at, ends_at)``; ``None`` on either side means open on that side."""

    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def __post_init__(self) -> None:
        _require_aware(self.starts_at, "startsAt")
        _require_aware(self.ends_at, "endsAt")
        if self.starts_at is not None and self.ends_at is not None and self.ends_at <= self.starts_at:
            raise InvalidWindow("endsAt must be after startsAt")

    def contains(self, at: datetime) -> bool:
        if self.starts_at is not None and at < self.starts_at:
            return False
        return self.ends_at is None or at < self.ends_at

    def boundaries(self) -> tuple[datetime, ...]:
        return tuple(bound for bound in (self.starts_at, self.ends_at) if bound is not None)


@dataclass(frozen=True, slots=True)
class Terms:
    """A status and a window: everything that decides whether a subscription counts."""

    status: SubscriptionStatus
    window: Window

    def is_active(self, at: datetime) -> bool:
        return self.status.grants_access and self.window.contains(at)

    def future_boundaries(self, at: datetime) -> tuple[datetime, ...]:
        """Instants after ``at`` where this subscription may start or stop counting."""
        if not self.status.grants_access:
            return ()
        return tuple(bound for bound in self.window.boundaries() if bound > at)


@dataclass(frozen=True, slots=True)
class BasicSubscription:
    package_key: str
    terms: Terms

    def is_active(self, at: datetime) -> bool:
        return self.terms.is_active(at)


@dataclass(frozen=True, slots=True)
class AddonSubscription:
    addon_key: str
    terms: Terms

    def is_active(self, at: datetime) -> bool:
        return self.terms.is_active(at)
