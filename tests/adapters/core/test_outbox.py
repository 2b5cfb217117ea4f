"""The outbox tells auth about entitlement changes over real HTTP, and retries what fails."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from litestar import Litestar, Request, post
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.clients.entitlement_events import AuthEntitlementEventsSender
from kisum.adapters.persistence.core.outbox import OutboxDispatcher, OutboxPolicy, OutboxRelay
from kisum.adapters.persistence.core.uow import SqlCoreUnitOfWork
from kisum.adapters.persistence.database import create_session_factory
from kisum.adapters.security.service_tokens import ServiceAuth, ServiceTokenIssuer, ServiceTokenVerifier
from kisum.config import Role
from kisum.domain.core.company import Company, EntitlementsChanged
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres


class MutableClock:
    def __init__(self) -> None:
        self.current = datetime.now(UTC)

    def now(self) -> datetime:
        return self.current


@dataclass
class AuthReceiver:
    """A tiny stand-in for auth's internal endpoint that checks the service token."""

    verifier: ServiceTokenVerifier
    failures_left: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)
    callers: list[Role] = field(default_factory=list)
    delivered: asyncio.Event = field(default_factory=asyncio.Event)

    def app(self) -> Litestar:
        @post("/internal/events/entitlements-changed", status_code=204)
        async def entitlements_changed(request: Request[Any, Any, Any]) -> None:
            authorization = request.headers.get("authorization", "")
            self.callers.append(self.verifier.verify(authorization.removeprefix("Bearer ")))
            if self.failures_left > 0:
                self.failures_left -= 1
                from litestar.exceptions import HTTPException

                raise HTTPException(status_code=503, detail="auth is restarting")
            self.received.append(await request.json())
            self.delivered.set()

        return Litestar([entitlements_changed])


@pytest.fixture
async def engine(engine_for: EngineForRole) -> AsyncEngine:
    return await engine_for("core")


@pytest.fixture
def receiver() -> AuthReceiver:
    core_key = Ed25519PrivateKey.generate()
    public = core_key.public_key()
    receiver = AuthReceiver(ServiceTokenVerifier(Role.AUTH, lambda role: public if role is Role.CORE else None))
    receiver.core_key = core_key  # type: ignore[attr-defined]
    return receiver


@pytest.fixture
async def http(receiver: AuthReceiver) -> AsyncIterator[httpx.AsyncClient]:
    issuer = ServiceTokenIssuer(Role.CORE, receiver.core_key)  # type: ignore[attr-defined]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=receiver.app()),
        base_url="http://auth.internal",
        auth=ServiceAuth(issuer, Role.AUTH),
        timeout=2.0,
    ) as client:
        yield client


async def _company_with_event(engine: AsyncEngine, clock: MutableClock) -> EntitlementsChanged:
    company = Company.register(uuid.uuid4(), "Acme", clock.now())
    company.approve(clock.now())
    async with SqlCoreUnitOfWork(create_session_factory(engine)) as uow:
        await uow.companies.add(company)
        (event,) = company.pull_events()
        await uow.outbox.add(event)
        await uow.commit()
    return event


async def _outbox_row(engine: AsyncEngine, event: EntitlementsChanged) -> Any:
    async with engine.connect() as connection:
        result = await connection.execute(
            text(
                "SELECT attempts, delivered_at, next_attempt_at, last_error FROM outbox_events "
                "WHERE company_id = :id AND entitlement_version = :v"
            ),
            {"id": event.company_id, "v": event.entitlement_version},
        )
        return result.one()


async def test_notify_delivers_the_event_with_a_service_token(
    engine: AsyncEngine, receiver: AuthReceiver, http: httpx.AsyncClient
) -> None:
    clock = MutableClock()
    dispatcher = OutboxDispatcher(create_session_factory(engine), AuthEntitlementEventsSender(http), clock)
    event = await _company_with_event(engine, clock)

    await dispatcher.notify([event])

    assert receiver.received == [{"companyId": str(event.company_id), "entitlementVersion": 1}]
    assert receiver.callers == [Role.CORE]
    row = await _outbox_row(engine, event)
    assert row.delivered_at is not None
    assert row.attempts == 0


async def test_failed_delivery_is_kept_and_retried_with_backoff(
    engine: AsyncEngine, receiver: AuthReceiver, http: httpx.AsyncClient
) -> None:
    clock = MutableClock()
    receiver.failures_left = 2
    policy = OutboxPolicy(base_delay_seconds=10, max_delay_seconds=60)
    dispatcher = OutboxDispatcher(create_session_factory(engine), AuthEntitlementEventsSender(http), clock, policy)
    event = await _company_with_event(engine, clock)

    await dispatcher.notify([event])  # auth answers 503: nothing raised, the event stays
    first = await _outbox_row(engine, event)
    assert first.delivered_at is None
    assert first.attempts == 1
    assert "503" in first.last_error
    assert first.next_attempt_at == clock.now() + timedelta(seconds=10)

    assert await dispatcher.deliver_due() == 0  # not due yet
    clock.current += timedelta(seconds=10)
    assert await dispatcher.deliver_due() == 1  # fails again, backoff doubles
    second = await _outbox_row(engine, event)
    assert second.attempts == 2
    assert second.next_attempt_at == clock.now() + timedelta(seconds=20)

    clock.current += timedelta(seconds=20)
    assert await dispatcher.deliver_due() == 1
    assert receiver.received == [{"companyId": str(event.company_id), "entitlementVersion": 1}]
    assert (await _outbox_row(engine, event)).delivered_at is not None
    assert await dispatcher.deliver_due() == 0


async def test_unreachable_auth_is_a_failed_attempt(engine: AsyncEngine) -> None:
    clock = MutableClock()

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse), base_url="http://auth.internal") as client:
        dispatcher = OutboxDispatcher(create_session_factory(engine), AuthEntitlementEventsSender(client), clock)
        event = await _company_with_event(engine, clock)
        await dispatcher.notify([event])
    row = await _outbox_row(engine, event)
    assert row.attempts == 1
    assert "unreachable" in row.last_error


async def test_relay_retries_in_the_background_until_delivered(
    engine: AsyncEngine, receiver: AuthReceiver, http: httpx.AsyncClient
) -> None:
    receiver.failures_left = 1
    policy = OutboxPolicy(base_delay_seconds=0.05, max_delay_seconds=0.1)
    dispatcher = OutboxDispatcher(
        create_session_factory(engine), AuthEntitlementEventsSender(http), MutableClockNow(), policy
    )
    event = await _company_with_event(engine, MutableClock())
    relay = OutboxRelay(dispatcher, interval_seconds=0.02)
    relay.start()
    try:
        async with asyncio.timeout(5):
            await receiver.delivered.wait()
    finally:
        await relay.stop()
    assert not relay.running
    assert receiver.received == [{"companyId": str(event.company_id), "entitlementVersion": 1}]
    assert len(receiver.callers) == 2  # one refused attempt, one delivery


class MutableClockNow:
    """The real time, for the relay test."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def test_backoff_doubles_and_is_capped() -> None:
    policy = OutboxPolicy(base_delay_seconds=1, max_delay_seconds=5)
    assert [policy.delay_after(n) for n in range(1, 6)] == [1, 2, 4, 5, 5]
