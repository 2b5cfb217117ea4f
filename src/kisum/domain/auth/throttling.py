"""Login throttling as pure arithmetic (DESIGN §3); the Redis adapter keeps the counters.

Three independent limits, only failures count:

- the (account, ip) pair: after ``pair_free_failures`` consecutive failures every further attempt
  waits a backoff that doubles with each failure (``pair_base_backoff_seconds`` * 2^k), capped at
  ``pair_max_backoff_seconds``, measured from the last failure. A success resets the pair.
  Nobody is ever locked out permanently: the longest wait is the cap.
- an ip: at most ``ip_max_failures`` failures per ``ip_window_seconds`` window, across accounts;
- an account: at most ``account_max_failures`` failures per ``account_window_seconds`` window,
  from all ips.

The adapter keeps fixed-window counters (``INCR`` + ``EXPIRE`` in one transaction) and the
pair's consecutive count with the time of its last failure; it feeds them to ``decide``.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

MAX_DOUBLINGS = 40  # 2**40 * base is far beyond any cap; keeps the arithmetic bounded


@dataclass(frozen=True, slots=True)
class ThrottleSettings:
    pair_free_failures: int = 5
    pair_base_backoff_seconds: int = 30
    pair_max_backoff_seconds: int = 15 * 60
    pair_counter_ttl_seconds: int = 24 * 60 * 60
    ip_max_failures: int = 100
    ip_window_seconds: int = 15 * 60
    account_max_failures: int = 50
    account_window_seconds: int = 15 * 60

    def __post_init__(self) -> None:
        for name in (
            "pair_free_failures",
            "pair_base_backoff_seconds",
            "pair_max_backoff_seconds",
            "ip_max_failures",
            "ip_window_seconds",
            "account_max_failures",
            "account_window_seconds",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.pair_base_backoff_seconds > self.pair_max_backoff_seconds:
            raise ValueError("pair_base_backoff_seconds must not exceed pair_max_backoff_seconds")
        if self.pair_counter_ttl_seconds < self.pair_max_backoff_seconds:
            raise ValueError("pair_counter_ttl_seconds must be at least pair_max_backoff_seconds")


@dataclass(frozen=True, slots=True)
class PairCounter:
    """Consecutive failures of one (account, ip) pair and seconds since the last one."""

    consecutive_failures: int = 0
    seconds_since_last_failure: float = math.inf


@dataclass(frozen=True, slots=True)
class WindowCounter:
    """Failures in the current fixed window and seconds until that window ends."""

    failures: int = 0
    seconds_until_reset: float = 0.0


@dataclass(frozen=True, slots=True)
class ThrottleCounters:
    pair: PairCounter = PairCounter()
    ip: WindowCounter = WindowCounter()
    account: WindowCounter = WindowCounter()


@dataclass(frozen=True, slots=True)
class ThrottleDecision:
    allowed: bool
    retry_after_seconds: int = 0

    @classmethod
    def allow(cls) -> ThrottleDecision:
        return cls(allowed=True)

    @classmethod
    def wait(cls, seconds: float) -> ThrottleDecision:
        return cls(allowed=False, retry_after_seconds=max(1, math.ceil(seconds)))


def pair_backoff_seconds(settings: ThrottleSettings, consecutive_failures: int) -> int:
    """The wait imposed after ``consecutive_failures`` failures (0 below the free allowance)."""
    if consecutive_failures < settings.pair_free_failures:
        return 0
    doublings = min(consecutive_failures - settings.pair_free_failures, MAX_DOUBLINGS)
    return min(settings.pair_base_backoff_seconds * (1 << doublings), settings.pair_max_backoff_seconds)


def pair_retry_after(settings: ThrottleSettings, counter: PairCounter) -> float:
    remaining = pair_backoff_seconds(settings, counter.consecutive_failures) - max(
        0.0, counter.seconds_since_last_failure
    )
    return max(0.0, remaining)


def window_retry_after(max_failures: int, counter: WindowCounter) -> float:
    if counter.failures < max_failures:
        return 0.0
    # A full window with an unknown end (counter without TTL) still blocks; 1 s at least.
    return max(1.0, counter.seconds_until_reset)


def decide(settings: ThrottleSettings, counters: ThrottleCounters) -> ThrottleDecision:
    """Allowed, or the longest of the waits any of the three limits imposes."""
    wait = max(
        pair_retry_after(settings, counters.pair),
        window_retry_after(settings.ip_max_failures, counters.ip),
        window_retry_after(settings.account_max_failures, counters.account),
    )
    return ThrottleDecision.allow() if wait <= 0 else ThrottleDecision.wait(wait)


def throttle_account_key(email: str) -> str:
    """The account key the throttle counts under: the trimmed, lower-cased login email.

    Unknown emails are counted the same way as known ones, so the throttle reveals nothing.
    """
    return unicodedata.normalize("NFC", email).strip().lower()[:320]
