from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.core.errors import InvalidWindow
from kisum.domain.core.subscriptions import Window
from kisum.domain.errors import FieldInvalid
from kisum.domain.intervals import Interval

NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)
HOUR = timedelta(hours=1)
instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))


def test_a_half_open_interval_excludes_its_end() -> None:
    interval = Interval(NOW, NOW + HOUR)
    assert interval.contains(NOW)
    assert not interval.contains(NOW + HOUR)


def test_a_closed_interval_includes_its_end_and_may_be_one_instant() -> None:
    assert Interval(NOW, NOW + HOUR, includes_end=True).contains(NOW + HOUR)
    assert Interval(NOW, NOW, includes_end=True).contains(NOW)


def test_an_empty_half_open_interval_is_refused_naming_the_end() -> None:
    with pytest.raises(FieldInvalid) as caught:
        Interval(NOW, NOW)
    assert caught.value.code == "VALIDATION_ERROR"
    assert caught.value.field == "endsAt"
    assert caught.value.issues[0].message == "must be after startsAt"


def test_a_closed_interval_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(FieldInvalid) as caught:
        Interval.of(NOW, NOW - HOUR, includes_end=True)
    assert caught.value.field == "endsAt"
    assert caught.value.issues[0].message == "must not be before startsAt"


def test_input_is_checked_with_the_clients_field_names() -> None:
    with pytest.raises(FieldInvalid) as caught:
        Interval.of(NOW, NOW - HOUR, start_field="from", end_field="to")
    assert caught.value.field == "to"
    assert caught.value.issues[0].message == "must be after from"


@pytest.mark.parametrize(
    ("start", "end", "field"), [(datetime(2030, 1, 1), NOW, "from"), (NOW, datetime(2031, 1, 1), "to")]
)
def test_a_bound_without_a_timezone_is_refused(start: datetime, end: datetime, field: str) -> None:
    with pytest.raises(FieldInvalid) as caught:
        Interval.of(start, end, start_field="from", end_field="to")
    assert caught.value.field == field
    assert "timezone" in caught.value.issues[0].message


def test_input_is_normalised_to_utc() -> None:
    local = NOW.astimezone(timezone(timedelta(hours=2)))
    interval = Interval.of(local, local + HOUR)
    assert interval.starts_at.tzinfo is UTC
    assert interval.starts_at == NOW


def test_open_sides_contain_everything_on_that_side() -> None:
    assert Interval(None, None).contains(NOW)
    assert Interval(NOW, None).contains(NOW + timedelta(days=10_000))
    assert not Interval(None, NOW).contains(NOW)
    assert Interval(NOW, None).boundaries() == (NOW,)


def test_back_to_back_half_open_intervals_do_not_overlap_but_closed_ones_do() -> None:
    assert not Interval(NOW, NOW + HOUR).overlaps(Interval(NOW + HOUR, NOW + 2 * HOUR))
    assert Interval(NOW, NOW + HOUR, includes_end=True).overlaps(Interval(NOW + HOUR, NOW + 2 * HOUR))
    assert Interval(NOW, None).overlaps(Interval(None, NOW + HOUR))


@given(a=st.tuples(instants, instants), b=st.tuples(instants, instants), closed=st.booleans())
def test_overlap_is_symmetric_and_means_a_shared_instant(
    a: tuple[datetime, datetime], b: tuple[datetime, datetime], closed: bool
) -> None:
    (a0, a1), (b0, b1) = sorted(a), sorted(b)
    if not closed and (a0 == a1 or b0 == b1):
        return
    x, y = Interval(a0, a1, includes_end=closed), Interval(b0, b1, includes_end=closed)
    assert x.overlaps(y) is y.overlaps(x)
    latest_start = max(a0, b0)
    shared = x.contains(latest_start) and y.contains(latest_start)
    assert x.overlaps(y) is shared


def test_the_subscription_window_is_an_interval_that_keeps_cores_code() -> None:
    assert isinstance(Window(), Interval)
    with pytest.raises(InvalidWindow) as caught:
        Window(NOW, NOW)
    assert isinstance(caught.value, FieldInvalid)
    assert caught.value.code == "INVALID_WINDOW"
    assert caught.value.field == "endsAt"
    assert str(caught.value) == "endsAt must be after startsAt"
