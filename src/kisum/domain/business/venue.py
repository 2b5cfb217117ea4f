"""Venue: holds on a venue's calendar and the rule that keeps confirmed dates exclusive.

A hold reserves ``[starts_at, ends_at)`` at one venue (an opaque reference to the venue record).
First and second holds are pencilled options and may overlap anything; a *confirmed* hold may
not overlap another confirmed hold of the same venue (409 ``HOLD_CONFLICT``). Intervals are
half-open, so a show ending at 23:00 and the next starting at 23:00 do not overlap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final
from uuid import UUID

from kisum.domain.business.shared import KEEP, Keep, changed, optional_text, parse_enum
from kisum.domain.errors import Conflict, FieldInvalid, NotFound
from kisum.domain.intervals import Interval

MAX_NOTE_LENGTH: Final = 1000
MAX_CALENDAR_SPAN: Final = timedelta(days=366)


class HoldNotFound(NotFound):
    code = "HOLD_NOT_FOUND"


class HoldConflict(Conflict):
    code = "HOLD_CONFLICT"


class HoldType(StrEnum):
    FIRST = "first"
    SECOND = "second"
    CONFIRMED = "confirmed"


def parse_hold_type(value: str) -> HoldType:
    return parse_enum(HoldType, value, "holdType")


def calendar_range(starts_at: datetime, ends_at: datetime) -> Interval[datetime]:
    """The window a calendar view asks for (``[from, to)``); at most ``MAX_CALENDAR_SPAN`` long."""
    window = Interval.of(starts_at, ends_at, start_field="from", end_field="to")
    if window.ends_at - window.starts_at > MAX_CALENDAR_SPAN:
        raise FieldInvalid("to", f"the range may span at most {MAX_CALENDAR_SPAN.days} days")
    return window


@dataclass(slots=True)
class Hold:
    id: UUID
    company_id: UUID
    venue_id: UUID
    period: Interval[datetime]
    hold_type: HoldType
    note: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        company_id: UUID,
        venue_id: UUID,
        starts_at: datetime,
        ends_at: datetime,
        hold_type: str,
        note: str | None,
        now: datetime,
    ) -> Hold:
        return cls(
            id=id,
            company_id=company_id,
            venue_id=venue_id,
            period=Interval.of(starts_at, ends_at),
            hold_type=parse_hold_type(hold_type),
            note=optional_text(note, "note", max_length=MAX_NOTE_LENGTH),
            created_at=now,
            updated_at=now,
        )

    def revise(
        self,
        *,
        now: datetime,
        venue_id: UUID | Keep = KEEP,
        starts_at: datetime | Keep = KEEP,
        ends_at: datetime | Keep = KEEP,
        hold_type: str | Keep = KEEP,
        note: str | Keep | None = KEEP,
    ) -> None:
        new_period = Interval.of(changed(self.period.starts_at, starts_at), changed(self.period.ends_at, ends_at))
        new_type = self.hold_type if isinstance(hold_type, Keep) else parse_hold_type(hold_type)
        new_note = self.note if isinstance(note, Keep) else optional_text(note, "note", max_length=MAX_NOTE_LENGTH)
        self.venue_id = changed(self.venue_id, venue_id)
        self.period, self.hold_type, self.note = new_period, new_type, new_note
        self.updated_at = now

    @property
    def is_confirmed(self) -> bool:
        return self.hold_type is HoldType.CONFIRMED

    def clashes_with(self, other: Hold) -> bool:
        """Both confirmed, same venue, overlapping time, and not the same hold."""
        return (
            self.id != other.id
            and self.is_confirmed
            and other.is_confirmed
            and self.venue_id == other.venue_id
            and self.period.overlaps(other.period)
        )

    def ensure_no_conflict(self, others: Iterable[Hold]) -> None:
        for other in others:
            if self.clashes_with(other):
                raise HoldConflict(
                    f"venue {self.venue_id} already has a confirmed hold from "
                    f"{other.period.starts_at.isoformat()} to {other.period.ends_at.isoformat()} ({other.id})"
                )
