"""Venue rules: holds, half-open time ranges, and exclusive confirmed holds per venue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.business.venue import Hold, HoldConflict, HoldType, calendar_range
from kisum.domain.errors import FieldInvalid
from kisum.domain.intervals import Interval

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
DAY = datetime(2025, 6, 1, tzinfo=UTC)
VENUE = uuid4()


def hold(start_hour: int, end_hour: int, hold_type: str = "confirmed", venue: UUID = VENUE) -> Hold:
    return Hold.create(
        id=uuid4(),
        company_id=uuid4(),
        venue_id=venue,
        starts_at=DAY + timedelta(hours=start_hour),
        ends_at=DAY + timedelta(hours=end_hour),
        hold_type=hold_type,
        note=None,
        now=NOW,
    )


def test_a_hold_must_end_after_it_starts() -> None:
    with pytest.raises(FieldInvalid) as caught:
        hold(20, 20)
    assert caught.value.field == "endsAt"


def test_unknown_hold_type_is_refused_naming_hold_type() -> None:
    with pytest.raises(FieldInvalid) as caught:
        hold(18, 23, hold_type="third")
    assert caught.value.field == "holdType"


def test_overlapping_confirmed_holds_of_one_venue_conflict() -> None:
    with pytest.raises(HoldConflict) as caught:
        hold(18, 23).ensure_no_conflict([hold(22, 26)])
    assert caught.value.code == "HOLD_CONFLICT"


def test_back_to_back_confirmed_holds_do_not_conflict() -> None:
    hold(18, 23).ensure_no_conflict([hold(23, 26), hold(10, 18)])


@pytest.mark.parametrize(("mine", "theirs"), [("first", "confirmed"), ("confirmed", "second"), ("first", "first")])
def test_pencilled_holds_may_overlap_anything(mine: str, theirs: str) -> None:
    hold(18, 23, mine).ensure_no_conflict([hold(18, 23, theirs)])


def test_confirmed_holds_of_other_venues_do_not_conflict() -> None:
    hold(18, 23).ensure_no_conflict([hold(18, 23, venue=uuid4())])


def test_a_hold_does_not_conflict_with_itself() -> None:
    subject = hold(18, 23)
    subject.ensure_no_conflict([subject])


def test_revise_then_confirm_is_checked_by_the_caller_against_others() -> None:
    subject = hold(18, 23, "first")
    subject.revise(now=NOW, hold_type="confirmed")
    assert subject.hold_type is HoldType.CONFIRMED
    with pytest.raises(HoldConflict):
        subject.ensure_no_conflict([hold(20, 21)])


def test_calendar_range_is_at_most_a_year() -> None:
    with pytest.raises(FieldInvalid) as caught:
        calendar_range(DAY, DAY + timedelta(days=367))
    assert caught.value.field == "to"
    assert calendar_range(DAY, DAY + timedelta(days=366)).starts_at == DAY


@given(
    a=st.tuples(st.integers(0, 100), st.integers(1, 50)),
    b=st.tuples(st.integers(0, 100), st.integers(1, 50)),
)
def test_overlap_is_symmetric_and_matches_the_half_open_definition(a: tuple[int, int], b: tuple[int, int]) -> None:
    first = Interval(DAY + timedelta(hours=a[0]), DAY + timedelta(hours=a[0] + a[1]))
    second = Interval(DAY + timedelta(hours=b[0]), DAY + timedelta(hours=b[0] + b[1]))
    hours_a = set(range(a[0], a[0] + a[1]))
    hours_b = set(range(b[0], b[0] + b[1]))
    assert first.overlaps(second) == second.overlaps(first) == bool(hours_a & hours_b)
