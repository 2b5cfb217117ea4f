"""Bodies (``…Body``) and answers (``…Out``) of the touring API, camelCase on the wire.

PUT bodies take only the fields to change (absent = keep; ``null`` clears an optional field).
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar
from uuid import UUID

from msgspec import UNSET, UnsetType

from kisum.adapters.http.common.schemas import Body, Out
from kisum.application.business.touring.ports import TourSummary
from kisum.domain.business.shared import KEEP, Keep
from kisum.domain.business.touring import Leg, Tour, TourStatus

T = TypeVar("T")


def keep(value: T | UnsetType) -> T | Keep:
    return KEEP if isinstance(value, UnsetType) else value


class TourBody(Body):
    name: str
    artist_name: str | None = None
    artist_id: UUID | None = None
    status: TourStatus | None = None


class TourChangesBody(Body):
    name: str | UnsetType = UNSET
    artist_name: str | UnsetType | None = UNSET
    artist_id: UUID | UnsetType | None = UNSET
    status: TourStatus | UnsetType = UNSET


class LegBody(Body):
    date: dt.date
    city: str
    venue_name: str | None = None


class LegChangesBody(Body):
    date: dt.date | UnsetType = UNSET
    city: str | UnsetType = UNSET
    venue_name: str | UnsetType | None = UNSET


class LegOut(Out):
    id: UUID
    tour_id: UUID
    date: dt.date
    city: str
    venue_name: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, leg: Leg) -> LegOut:
        return cls(
            id=leg.id,
            tour_id=leg.tour_id,
            date=leg.date,
            city=leg.city,
            venue_name=leg.venue_name,
            created_at=leg.created_at,
            updated_at=leg.updated_at,
        )


class TourOut(Out):
    """A tour with its legs in date order."""

    id: UUID
    name: str
    artist_name: str | None
    artist_id: UUID | None
    status: TourStatus
    legs: list[LegOut]
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, tour: Tour) -> TourOut:
        return cls(
            id=tour.id,
            name=tour.name,
            artist_name=tour.artist.name,
            artist_id=tour.artist.artist_id,
            status=tour.status,
            legs=[LegOut.of(leg) for leg in tour.itinerary()],
            created_at=tour.created_at,
            updated_at=tour.updated_at,
        )


class TourSummaryOut(Out):
    """A tour in a list: how many legs and the dates they span, not the legs."""

    id: UUID
    name: str
    artist_name: str | None
    artist_id: UUID | None
    status: TourStatus
    leg_count: int
    first_date: dt.date | None
    last_date: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, tour: TourSummary) -> TourSummaryOut:
        return cls(
            id=tour.id,
            name=tour.name,
            artist_name=tour.artist.name,
            artist_id=tour.artist.artist_id,
            status=tour.status,
            leg_count=tour.leg_count,
            first_date=tour.first_date,
            last_date=tour.last_date,
            created_at=tour.created_at,
            updated_at=tour.updated_at,
        )


class TourPage(Out):
    items: list[TourSummaryOut]
    page: int
    limit: int
    total: int


class LegPage(Out):
    items: list[LegOut]
    page: int
    limit: int
    total: int
