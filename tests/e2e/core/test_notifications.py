"""After each entitlement change, core tells auth over real HTTP; a failed delivery is retried."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from litestar import Litestar, Request, post
from litestar.exceptions import HTTPException
from litestar.testing import AsyncTestClient

from kisum.adapters.security.service_tokens import ServiceTokenVerifier, bearer_token
from kisum.config import Role
from kisum.ioc.core import create_app
from tests.e2e.core.conftest import ServiceCallers, approved_company, core_settings
from tests.support.network import bound_socket
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres


@dataclass
class AuthStandIn:
    """Plays auth's ``/internal/events/entitlements-changed`` on a real local port."""

    data_dir: Path
    fail_next: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)
    request_ids: list[str | None] = field(default_factory=list)
    attempts: int = 0
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, event: dict[str, Any], timeout: float) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: event in self.received, timeout)

    def _core_key(self, role: Role) -> Ed25519PublicKey | None:
        path = self.data_dir / "keys" / "service" / f"{role.value}.pub"
        if role is not Role.CORE or not path.exists():
            return None
        key = serialization.load_pem_public_key(path.read_bytes())
        assert isinstance(key, Ed25519PublicKey)
        return key

    def app(self) -> Litestar:
        verifier = ServiceTokenVerifier(Role.AUTH, self._core_key)

        @post("/internal/events/entitlements-changed", status_code=204)
        async def receive(request: Request[Any, Any, Any]) -> None:
            self.attempts += 1
            verifier.verify(bearer_token(request.headers.get("authorization")))
            if self.fail_next > 0:
                self.fail_next -= 1
                raise HTTPException(status_code=503, detail="restarting")
            body = await request.json()
            with self.arrived:
                self.request_ids.append(request.headers.get("x-request-id"))
                self.received.append(body)
                self.arrived.notify_all()

        return Litestar([receive])


@pytest.fixture
def auth_stand_in(tmp_path: Path) -> Iterator[tuple[AuthStandIn, str]]:
    """A real server on 127.0.0.1, in its own thread and event loop (the test client blocks ours)."""
    stand_in = AuthStandIn(tmp_path)
    sock = bound_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(stand_in.app(), log_config=None, access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield stand_in, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()


@pytest.fixture
async def core(
    engine_for: EngineForRole,
    postgres_url: str,
    tmp_path: Path,
    callers: ServiceCallers,
    auth_stand_in: tuple[AuthStandIn, str],
) -> AsyncIterator[AsyncTestClient]:
    await engine_for("core")
    app = create_app(core_settings(postgres_url, tmp_path, callers, auth_stand_in[1]))
    async with AsyncTestClient(app=app) as client:
        client.headers.update(callers.headers(Role.ADMIN))
        yield client


async def test_change_is_announced_to_auth_before_the_response(
    core: AsyncTestClient, auth_stand_in: tuple[AuthStandIn, str]
) -> None:
    stand_in, _ = auth_stand_in
    company_id = await approved_company(core)
    response = await core.post(
        f"/internal/companies/{company_id}/addons",
        json={"addonKey": "finance", "action": "activate"},
        headers={"x-request-id": "req-activate-1"},
    )
    assert response.status_code == 200
    assert stand_in.received == [
        {"companyId": company_id, "entitlementVersion": 1},
        {"companyId": company_id, "entitlementVersion": 2},
    ]
    assert stand_in.request_ids[-1] == "req-activate-1"


async def test_failed_announcement_is_retried_in_the_background(
    core: AsyncTestClient, auth_stand_in: tuple[AuthStandIn, str]
) -> None:
    stand_in, _ = auth_stand_in
    company_id = await approved_company(core)
    stand_in.fail_next = 1
    response = await core.post(f"/internal/companies/{company_id}/basic", json={"action": "activate"})
    assert response.status_code == 200  # auth being down never fails the change
    expected = {"companyId": company_id, "entitlementVersion": 2}
    assert expected not in stand_in.received
    assert await asyncio.to_thread(stand_in.wait_for, expected, 10)
    assert stand_in.attempts >= 3  # approve, the refused attempt, the retry
