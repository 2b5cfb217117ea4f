"""Touring: a tour of one artist and its dated legs (one show per leg).

The artist is either a reference to basic's artist (``artist_id``, opaque here) or a plain
name, at least one of them. A tour is the aggregate of its legs: it keeps them ordered by date
and refuses two legs on the same date (409 ``LEG_DATE_TAKEN``); the database backs this with a
unique ``(tour_id, date)`` so that concurrent writers cannot slip past the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Final
from uuid import UUID

from kisum.domain.business.shared import KEEP, Keep, changed, optional_text, parse_enum, required_text
from kisum.domain.errors import Conflict, FieldInvalid, NotFound

MAX_NAME_LENGTH: Final = 200
MAX_PLACE_LENGTH: Final = 200


class TourNotFound(NotFound):
    code = "TOUR_NOT_FOUND"


class LegNotFound(NotFound):
    code = "LEG_NOT_FOUND"


class LegDateTaken(Conflict):
    code = "LEG_DATE_TAKEN"


class TourStatus(StrEnum):
    PLANNING = "planning"
    ANNOUNCED = "announced"
    ON_TOUR = "on_tour"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


def parse_status(value: str) -> TourStatus:
    return parse_enum(TourStatus, value, "status")


@dataclass(frozen=True, slots=True)
class Artist:
    """Who tours: a reference to an artist record, a name, or both."""

    artist_id: UUID | None
    name: str | None

    @classmethod
    def of(cls, artist_id: UUID | None, name: str | None) -> Artist:
        cleaned = optional_text(name, "artistName", max_length=MAX_NAME_LENGTH)
        if artist_id is None and cleaned is None:
            raise FieldInvalid("artistName", "give artistName or artistId")
        return cls(artist_id, cleaned)


@dataclass(slots=True)
class Leg:
    id: UUID
    tour_id: UUID
    date: date
    city: str
    venue_name: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class Tour:
    id: UUID
    company_id: UUID
    name: str
    artist: Artist
    status: TourStatus
    created_at: datetime
    updated_at: datetime
    legs: list[Leg] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        company_id: UUID,
        name: str,
        artist_id: UUID | None,
        artist_name: str | None,
        status: str | None,
        now: datetime,
    ) -> Tour:
        return cls(
            id=id,
            company_id=company_id,
            name=required_text(name, "name", max_length=MAX_NAME_LENGTH),
            artist=Artist.of(artist_id, artist_name),
            status=TourStatus.PLANNING if status is None else parse_status(status),
            created_at=now,
            updated_at=now,
        )

    def revise(
        self,
        *,
        now: datetime,
        name: str | Keep = KEEP,
        artist_id: UUID | Keep | None = KEEP,
        artist_name: str | Keep | None = KEEP,
        status: str | Keep = KEEP,
    ) -> None:
        new_name = self.name if isinstance(name, Keep) else required_text(name, "name", max_length=MAX_NAME_LENGTH)
        new_artist = Artist.of(changed(self.artist.artist_id, artist_id), changed(self.artist.name, artist_name))
        new_status = self.status if isinstance(status, Keep) else parse_status(status)
        self.name, self.artist, self.status = new_name, new_artist, new_status
        self.updated_at = now

    def itinerary(self) -> list[Leg]:
        """The legs in date order."""
        return sorted(self.legs, key=lambda leg: leg.date)

    def leg(self, leg_id: UUID) -> Leg:
        for leg in self.legs:
            if leg.id == leg_id:
                return leg
        raise LegNotFound(f"leg {leg_id} is not part of this tour")

    def _ensure_free(self, on: date, *, ignoring: UUID | None = None) -> None:
        for leg in self.legs:
            if leg.date == on and leg.id != ignoring:
                raise LegDateTaken(f"this tour already has a leg on {on.isoformat()}")

    def add_leg(self, *, id: UUID, on: date, city: str, venue_name: str | None, now: datetime) -> Leg:
        leg = Leg(
            id=id,
            tour_id=self.id,
            date=on,
            city=required_text(city, "city", max_length=MAX_PLACE_LENGTH),
            venue_name=optional_text(venue_name, "venueName", max_length=MAX_PLACE_LENGTH),
            created_at=now,
            updated_at=now,
        )
        self._ensure_free(on)
        self.legs.append(leg)
        self.updated_at = now
        return leg

    def change_leg(
        self,
        leg_id: UUID,
        *,
        now: datetime,
        on: date | Keep = KEEP,
        city: str | Keep = KEEP,
        venue_name: str | Keep | None = KEEP,
    ) -> Leg:
        leg = self.leg(leg_id)
        new_city = leg.city if isinstance(city, Keep) else required_text(city, "city", max_length=MAX_PLACE_LENGTH)
        new_venue = (
            leg.venue_name
            if isinstance(venue_name, Keep)
            else optional_text(venue_name, "venueName", max_length=MAX_PLACE_LENGTH)
        )
        new_date = changed(leg.date, on)
        self._ensure_free(new_date, ignoring=leg.id)
        leg.date, leg.city, leg.venue_name, leg.updated_at = new_date, new_city, new_venue, now
        self.updated_at = now
        return leg

    def remove_leg(self, leg_id: UUID, *, now: datetime) -> None:
        leg = self.leg(leg_id)
        self.legs.remove(leg)
        self.updated_at = now
