"""Bodies (``…Body``) and answers (``…Out``) of the venue API, camelCase on the wire.

PUT bodies take only the fields to change (absent = keep; ``null`` clears the note).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeVar
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from kisum.adapters.http.common.schemas import Body, Out
from kisum.application.business.venue.queries import Calendar
from kisum.domain.business.shared import KEEP, Keep
from kisum.domain.business.venue import Hold, HoldType

T = TypeVar("T")
Aware = Annotated[datetime, msgspec.Meta(tz=True)]


def keep(value: T | UnsetType) -> T | Keep:
    return KEEP if isinstance(value, UnsetType) else value


class HoldBody(Body):
    venue_id: UUID
    starts_at: Aware
    ends_at: Aware
    hold_type: HoldType
    note: str | None = None


class HoldChangesBody(Body):
    venue_id: UUID | UnsetType = UNSET
    starts_at: Aware | UnsetType = UNSET
    ends_at: Aware | UnsetType = UNSET
    hold_type: HoldType | UnsetType = UNSET
    note: str | UnsetType | None = UNSET


class HoldOut(Out):
    id: UUID
    venue_id: UUID
    starts_at: datetime
    ends_at: datetime
    hold_type: HoldType
    note: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, hold: Hold) -> HoldOut:
        return cls(
            id=hold.id,
            venue_id=hold.venue_id,
            starts_at=hold.period.starts_at,
            ends_at=hold.period.ends_at,
            hold_type=hold.hold_type,
            note=hold.note,
            created_at=hold.created_at,
            updated_at=hold.updated_at,
        )


class HoldPage(Out):
    items: list[HoldOut]
    page: int
    limit: int
    total: int


class CalendarOut(Out):
    """Every hold overlapping ``[from, to)``, ordered by start."""

    from_: datetime = msgspec.field(name="from")
    to: datetime
    venue_id: UUID | None
    items: list[HoldOut]

    @classmethod
    def of(cls, calendar: Calendar) -> CalendarOut:
        return cls(
            from_=calendar.window.starts_at,
            to=calendar.window.ends_at,
            venue_id=calendar.venue_id,
            items=[HoldOut.of(hold) for hold in calendar.holds],
        )
