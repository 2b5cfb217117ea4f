from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.core.errors import InvalidStatus, InvalidWindow
from kisum.domain.core.subscriptions import SubscriptionStatus, Terms, Window, parse_status

NOW = datetime(2030, 6, 1, 12, tzinfo=UTC)
instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))


def test_open_window_contains_every_instant() -> None:
    assert Window().contains(NOW)


def test_window_includes_its_start() -> None:
    assert Window(starts_at=NOW).contains(NOW)


def test_window_excludes_its_end() -> None:
    assert not Window(ends_at=NOW).contains(NOW)
    assert Window(ends_at=NOW).contains(NOW - timedelta(microseconds=1))


def test_window_before_its_start_does_not_contain() -> None:
    assert not Window(starts_at=NOW).contains(NOW - timedelta(seconds=1))


def test_end_before_start_is_refused() -> None:
    with pytest.raises(InvalidWindow, match="endsAt must be after startsAt"):
        Window(starts_at=NOW, ends_at=NOW - timedelta(days=1))


def test_empty_window_is_refused() -> None:
    with pytest.raises(InvalidWindow):
        Window(starts_at=NOW, ends_at=NOW)


def test_naive_bounds_are_refused() -> None:
    with pytest.raises(InvalidWindow, match="timezone"):
        Window(starts_at=datetime(2030, 1, 1))


@given(start=st.none() | instants, end=st.none() | instants, at=instants)
def test_window_contains_exactly_the_half_open_interval(
    start: datetime | None, end: datetime | None, at: datetime
) -> None:
    if start is not None and end is not None and end <= start:
        with pytest.raises(InvalidWindow):
            Window(start, end)
        return
    expected = (start is None or start <= at) and (end is None or at < end)
    assert Window(start, end).contains(at) is expected


@pytest.mark.parametrize("status", ["active", "trialing"])
def test_active_and_trialing_grant_access_inside_the_window(status: str) -> None:
    assert Terms(SubscriptionStatus(status), Window()).is_active(NOW)


@pytest.mark.parametrize("status", ["past_due", "canceled", "expired"])
def test_inactive_statuses_grant_nothing_even_inside_the_window(status: str) -> None:
    assert not Terms(SubscriptionStatus(status), Window()).is_active(NOW)


def test_active_status_outside_the_window_grants_nothing() -> None:
    assert not Terms(SubscriptionStatus.ACTIVE, Window(ends_at=NOW)).is_active(NOW)


def test_future_boundaries_only_count_for_granting_statuses() -> None:
    window = Window(NOW + timedelta(days=1), NOW + timedelta(days=2))
    assert Terms(SubscriptionStatus.ACTIVE, window).future_boundaries(NOW) == (
        NOW + timedelta(days=1),
        NOW + timedelta(days=2),
    )
    assert Terms(SubscriptionStatus.CANCELED, window).future_boundaries(NOW) == ()


def test_past_boundaries_are_not_future() -> None:
    window = Window(NOW - timedelta(days=1), NOW)
    assert Terms(SubscriptionStatus.ACTIVE, window).future_boundaries(NOW) == ()


def test_parse_status_names_the_allowed_values() -> None:
    assert parse_status("trialing") is SubscriptionStatus.TRIALING
    with pytest.raises(InvalidStatus, match="past_due"):
        parse_status("paused")
