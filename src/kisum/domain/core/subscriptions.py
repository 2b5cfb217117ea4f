"""Subscriptions (the Basic package, and addons) and the time windows in which they count.

A subscription is *active* at an instant when its status is ``active`` or ``trialing`` and the
instant lies in its ``Window``: the domain's half-open ``Interval`` ``[starts_at, ends_at)``, where
a missing bound is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kisum.domain.core.errors import InvalidStatus, InvalidWindow
from kisum.domain.errors import FieldInvalid, FieldIssue
from kisum.domain.intervals import Interval


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


class Window(Interval[datetime | None]):
    """``[starts_at, ends_at)``; ``None`` on either side means open on that side.

    The domain's ``Interval``, half-open and open-ended; its errors keep core's ``INVALID_WINDOW``.
    """

    __slots__ = ()

    def __init__(self, starts_at: datetime | None = None, ends_at: datetime | None = None) -> None:
        super().__init__(starts_at, ends_at)

    @classmethod
    def refuse(cls, issue: FieldIssue) -> FieldInvalid:
        return InvalidWindow.of([issue], detail=f"{issue.field} {issue.message}")


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
