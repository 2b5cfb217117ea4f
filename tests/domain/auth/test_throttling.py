from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.auth.throttling import (
    PairCounter,
    ThrottleCounters,
    ThrottleDecision,
    ThrottleSettings,
    WindowCounter,
    decide,
    pair_backoff_seconds,
    throttle_account_key,
)

DEFAULTS = ThrottleSettings()


def test_defaults_follow_design() -> None:
    assert DEFAULTS.pair_free_failures == 5
    assert DEFAULTS.pair_max_backoff_seconds == 15 * 60
    assert (DEFAULTS.ip_max_failures, DEFAULTS.ip_window_seconds) == (100, 15 * 60)
    assert (DEFAULTS.account_max_failures, DEFAULTS.account_window_seconds) == (50, 15 * 60)


def test_no_counters_is_allowed() -> None:
    assert decide(DEFAULTS, ThrottleCounters()) == ThrottleDecision.allow()


@pytest.mark.parametrize("failures", [0, 1, 4])
def test_the_pair_is_free_below_five_consecutive_failures(failures: int) -> None:
    counters = ThrottleCounters(pair=PairCounter(failures, seconds_since_last_failure=0))
    assert decide(DEFAULTS, counters).allowed


@pytest.mark.parametrize(
    ("failures", "backoff"),
    [(5, 30), (6, 60), (7, 120), (8, 240), (9, 480), (10, 900), (11, 900), (1000, 900), (10**9, 900)],
)
def test_the_pair_backoff_doubles_and_is_capped_at_fifteen_minutes(failures: int, backoff: int) -> None:
    assert pair_backoff_seconds(DEFAULTS, failures) == backoff
    just_failed = ThrottleCounters(pair=PairCounter(failures, seconds_since_last_failure=0))
    assert decide(DEFAULTS, just_failed) == ThrottleDecision(allowed=False, retry_after_seconds=backoff)


def test_the_pair_wait_counts_from_the_last_failure() -> None:
    counters = ThrottleCounters(pair=PairCounter(6, seconds_since_last_failure=45.5))
    assert decide(DEFAULTS, counters).retry_after_seconds == 15  # ceil(60 - 45.5)
    later = ThrottleCounters(pair=PairCounter(6, seconds_since_last_failure=60))
    assert decide(DEFAULTS, later).allowed


def test_the_ip_is_throttled_at_a_hundred_failures_in_the_window() -> None:
    assert decide(DEFAULTS, ThrottleCounters(ip=WindowCounter(99, 300))).allowed
    assert decide(DEFAULTS, ThrottleCounters(ip=WindowCounter(100, 300))) == ThrottleDecision(False, 300)


def test_the_account_is_throttled_at_fifty_failures_in_the_window() -> None:
    assert decide(DEFAULTS, ThrottleCounters(account=WindowCounter(49, 10))).allowed
    assert decide(DEFAULTS, ThrottleCounters(account=WindowCounter(50, 10.2))) == ThrottleDecision(False, 11)


def test_a_full_window_without_a_known_end_still_blocks() -> None:
    assert decide(DEFAULTS, ThrottleCounters(ip=WindowCounter(500, 0))) == ThrottleDecision(False, 1)


def test_the_longest_wait_wins() -> None:
    counters = ThrottleCounters(pair=PairCounter(7, 0), ip=WindowCounter(100, 30), account=WindowCounter(50, 700))
    assert decide(DEFAULTS, counters).retry_after_seconds == 700


@given(
    failures=st.integers(min_value=0, max_value=10**6),
    elapsed=st.floats(min_value=0, max_value=10**6, allow_nan=False),
)
def test_nobody_is_ever_locked_out_for_longer_than_the_cap(failures: int, elapsed: float) -> None:
    decision = decide(DEFAULTS, ThrottleCounters(pair=PairCounter(failures, elapsed)))
    assert 0 <= decision.retry_after_seconds <= DEFAULTS.pair_max_backoff_seconds
    if elapsed >= DEFAULTS.pair_max_backoff_seconds:
        assert decision.allowed


@given(failures=st.integers(min_value=5, max_value=60))
def test_the_backoff_never_decreases_with_more_failures(failures: int) -> None:
    assert pair_backoff_seconds(DEFAULTS, failures + 1) >= pair_backoff_seconds(DEFAULTS, failures)


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ThrottleSettings(pair_free_failures=0)
    with pytest.raises(ValueError, match="exceed"):
        ThrottleSettings(pair_base_backoff_seconds=1000, pair_max_backoff_seconds=900)
    with pytest.raises(ValueError, match="ttl"):
        ThrottleSettings(pair_counter_ttl_seconds=10)


def test_the_account_key_folds_case_and_spaces() -> None:
    assert throttle_account_key("  Alice@Example.COM ") == "alice@example.com"
    assert throttle_account_key("x" * 1000) == "x" * 320
