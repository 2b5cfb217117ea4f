"""One login attempt's view of the throttle: every admitted ``check`` ends with a verdict.

``RedisLoginThrottle.check`` reserves a slot that counts as a failure until ``record_failure`` or
``record_success`` settles it. ``LoginHandler`` settles every attempt that reaches a verdict, but
an attempt that dies before one (the database fails, the request is cancelled) would leave its
reservation counting against the user for a minute. This wrapper, one per request, remembers
admitted checks and gives back the reservations of those never settled (``release``).
"""

from __future__ import annotations

import contextlib
import logging

from kisum.adapters.cache.login_throttle import RedisLoginThrottle

logger = logging.getLogger("kisum.auth.throttle")


class SettlingLoginThrottle:
    """Implements ``LoginThrottle`` for one request on top of the process's throttle."""

    def __init__(self, throttle: RedisLoginThrottle) -> None:
        self._throttle = throttle
        self._open: list[tuple[str, str]] = []

    async def check(self, account: str, ip: str) -> None:
        await self._throttle.check(account, ip)
        self._open.append((account, ip))

    async def record_failure(self, account: str, ip: str) -> None:
        self._settle(account, ip)
        await self._throttle.record_failure(account, ip)

    async def record_success(self, account: str, ip: str) -> None:
        self._settle(account, ip)
        await self._throttle.record_success(account, ip)

    @property
    def unsettled(self) -> int:
        return len(self._open)

    async def release_unsettled(self) -> None:
        """Give back what this request reserved and never settled (no verdict: nothing counts)."""
        pending, self._open = self._open, []
        for account, ip in pending:
            with contextlib.suppress(Exception):  # a cleanup must never fail the request
                await self._throttle.release(account, ip)
            logger.info("login attempt ended without a verdict; throttle reservation released")

    def _settle(self, account: str, ip: str) -> None:
        with contextlib.suppress(ValueError):
            self._open.remove((account, ip))
