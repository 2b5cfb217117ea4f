"""Touring rules: who tours, and the legs of a tour (one per date, kept in date order)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.business.touring import LegDateTaken, LegNotFound, Tour, TourStatus
from kisum.domain.errors import FieldInvalid

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def tour(**overrides: object) -> Tour:
    values: dict[str, object] = {
        "id": uuid4(),
        "company_id": uuid4(),
        "name": "Summer Tour",
        "artist_id": None,
        "artist_name": "The Band",
        "status": None,
        "now": NOW,
    }
    values.update(overrides)
    return Tour.create(**values)  # type: ignore[arg-type]


def test_a_new_tour_is_in_planning() -> None:
    assert tour().status is TourStatus.PLANNING


def test_a_tour_needs_an_artist_name_or_reference() -> None:
    with pytest.raises(FieldInvalid) as caught:
        tour(artist_name="  ")
    assert caught.value.field == "artistName"
    assert tour(artist_name=None, artist_id=uuid4()).artist.name is None


def test_clearing_the_artist_name_needs_an_artist_reference() -> None:
    subject = tour()
    with pytest.raises(FieldInvalid):
        subject.revise(now=NOW, artist_name=None)
    artist_id = uuid4()
    subject.revise(now=NOW, artist_name=None, artist_id=artist_id)
    assert subject.artist.artist_id == artist_id
    assert subject.artist.name is None


def test_unknown_status_is_refused_naming_status() -> None:
    with pytest.raises(FieldInvalid) as caught:
        tour(status="touring")
    assert caught.value.field == "status"


def test_two_legs_on_the_same_date_conflict() -> None:
    subject = tour()
    subject.add_leg(id=uuid4(), on=date(2025, 7, 1), city="Berlin", venue_name=None, now=NOW)
    with pytest.raises(LegDateTaken):
        subject.add_leg(id=uuid4(), on=date(2025, 7, 1), city="Hamburg", venue_name=None, now=NOW)
    assert len(subject.legs) == 1


def test_moving_a_leg_onto_another_legs_date_conflicts_but_onto_its_own_does_not() -> None:
    subject = tour()
    first = subject.add_leg(id=uuid4(), on=date(2025, 7, 1), city="Berlin", venue_name=None, now=NOW)
    subject.add_leg(id=uuid4(), on=date(2025, 7, 2), city="Hamburg", venue_name=None, now=NOW)
    with pytest.raises(LegDateTaken):
        subject.change_leg(first.id, now=NOW, on=date(2025, 7, 2))
    changed = subject.change_leg(first.id, now=NOW, on=date(2025, 7, 1), city="Leipzig")
    assert changed.city == "Leipzig"


def test_unknown_leg_is_not_found() -> None:
    with pytest.raises(LegNotFound):
        tour().remove_leg(uuid4(), now=NOW)


def test_leg_fields_are_validated_naming_them() -> None:
    with pytest.raises(FieldInvalid) as caught:
        tour().add_leg(id=uuid4(), on=date(2025, 7, 1), city=" ", venue_name=None, now=NOW)
    assert caught.value.field == "city"


@given(st.lists(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)), unique=True, max_size=20))
def test_itinerary_is_in_date_order_whatever_the_order_legs_were_added(dates: list[date]) -> None:
    subject = tour()
    for on in dates:
        subject.add_leg(id=uuid4(), on=on, city="City", venue_name=None, now=NOW)
    assert [leg.date for leg in subject.itinerary()] == sorted(dates)
