"""Delivery of the transactional outbox: tell auth that a company's entitlements changed.

Events are written with the change (``SqlOutbox``). After the commit the request tries to
deliver its own events at once (``OutboxDispatcher.notify``); whatever fails stays in the table
and the ``OutboxRelay`` background task retries it with exponential backoff. Delivery is
at-least-once: an event is claimed with a short lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL)
so two workers never send it at the same moment, and is marked delivered only after a 2xx.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.persistence.core.tables import OutboxEventRow
from kisum.application.ports import Clock
from kisum.domain.core.company import EntitlementsChanged

logger = logging.getLogger("kisum.core.outbox")


class EventSender(Protocol):
    async def send(self, company_id: UUID, entitlement_version: int) -> None:
        """Raises when the event was not taken."""
        ...


@dataclass(frozen=True, slots=True)
class OutboxPolicy:
    base_delay_seconds: float = 1.0
    max_delay_seconds: float = 300.0
    max_attempts: int = 40
    lease_seconds: float = 30.0
    batch_size: int = 50

    def delay_after(self, attempts: int) -> float:
        """Backoff after the ``attempts``-th failure: 1 s, 2 s, 4 s, … capped."""
        return float(min(self.max_delay_seconds, self.base_delay_seconds * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True, slots=True)
class _Claimed:
    id: UUID
    company_id: UUID
    entitlement_version: int
    attempts: int


class OutboxDispatcher:
    """The ``EntitlementsChangedNotifier`` of core, and the worker the relay drives."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        sender: EventSender,
        clock: Clock,
        policy: OutboxPolicy | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._sender = sender
        self._clock = clock
        self.policy = policy or OutboxPolicy()

    async def notify(self, events: Sequence[EntitlementsChanged]) -> None:
        """Deliver these just-committed events now; never raises (the relay retries)."""
        if not events:
            return
        try:
            condition = or_(
                *(
                    and_(
                        OutboxEventRow.company_id == event.company_id,
                        OutboxEventRow.entitlement_version == event.entitlement_version,
                    )
                    for event in events
                )
            )
            await self._deliver(await self._claim(condition))
        except Exception:
            logger.exception("immediate delivery of entitlement events failed; the relay will retry")

    async def deliver_due(self) -> int:
        """Deliver one batch of due events; returns how many were claimed."""
        claimed = await self._claim(None)
        await self._deliver(claimed)
        return len(claimed)

    async def _claim(self, condition: Any) -> list[_Claimed]:
        now = self._clock.now()
        statement = (
            select(OutboxEventRow)
            .where(
                OutboxEventRow.delivered_at.is_(None),
                OutboxEventRow.next_attempt_at <= now,
                OutboxEventRow.attempts < self.policy.max_attempts,
            )
            .order_by(OutboxEventRow.created_at)
            .limit(self.policy.batch_size)
            .with_for_update(skip_locked=True)
        )
        if condition is not None:
            statement = statement.where(condition)
        async with self._session_factory() as session, session.begin():
            rows = list(await session.scalars(statement))
            lease_until = now + timedelta(seconds=self.policy.lease_seconds)
            for row in rows:
                row.next_attempt_at = lease_until
            return [_Claimed(row.id, row.company_id, row.entitlement_version, row.attempts) for row in rows]

    async def _deliver(self, claimed: Sequence[_Claimed]) -> None:
        for event in claimed:
            try:
                await self._sender.send(event.company_id, event.entitlement_version)
            except Exception as error:
                await self._failed(event, error)
            else:
                await self._mark(event.id, delivered_at=self._clock.now())

    async def _failed(self, event: _Claimed, error: Exception) -> None:
        attempts = event.attempts + 1
        delay = self.policy.delay_after(attempts)
        log = logger.error if attempts >= self.policy.max_attempts else logger.warning
        log(
            "entitlement event not delivered",
            extra={
                "companyId": str(event.company_id),
                "entitlementVersion": event.entitlement_version,
                "attempts": attempts,
                "retryInSeconds": delay,
                "error": repr(error),
            },
        )
        await self._mark(
            event.id,
            attempts=attempts,
            next_attempt_at=self._clock.now() + timedelta(seconds=delay),
            last_error=repr(error)[:1000],
        )

    async def _mark(self, event_id: UUID, **values: Any) -> None:
        async with self._session_factory() as session, session.begin():
            await session.execute(update(OutboxEventRow).where(OutboxEventRow.id == event_id).values(**values))


class OutboxRelay:
    """Background task of the core app: retries undelivered events until they are taken."""

    def __init__(self, dispatcher: OutboxDispatcher, interval_seconds: float = 1.0) -> None:
        self._dispatcher = dispatcher
        self._interval = interval_seconds
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if not self.running:
            self._task = asyncio.create_task(self._run(), name="kisum-core-outbox-relay")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _run(self) -> None:
        while True:
            try:
                claimed = await self._dispatcher.deliver_due()
            except Exception:
                logger.exception("outbox relay pass failed")
                claimed = 0
            if claimed < self._dispatcher.policy.batch_size:
                await asyncio.sleep(self._interval)
