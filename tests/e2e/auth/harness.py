"""The real role apps (auth, core, admin) on real 127.0.0.1 ports, in the test's event loop.

Why real ports: core tells auth about entitlement changes with its own httpx client, auth asks
core for entitlements, admin fetches auth's JWKS and calls both — every inter-role call here is
the production code path over HTTP. Every role shares one ``KISUM_DATA_DIR`` (service keys, as in
embedded mode), the test session's PostgreSQL (one schema per role) and a Redis key prefix
private to the test.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import uvicorn
from litestar import Litestar

from kisum.adapters.security.service_tokens import ServiceAuth, ServiceKeyStore, ServiceTokenIssuer
from kisum.config import Role, Settings
from kisum.ioc.admin import create_app as create_admin_app
from kisum.ioc.auth import create_app as create_auth_app
from kisum.ioc.core import create_app as create_core_app
from tests.support.network import bound_socket, free_port

ADMIN_EMAIL = "root@kisum.test"
ADMIN_PASSWORD = "platform-admin-passphrase"
OWNER_PASSWORD = "owner-passphrase-1"
MEMBER_PASSWORD = "member-passphrase-1"


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:  # several servers in one loop: pytest keeps the signals
        yield


@dataclass
class RunningRole:
    app: Litestar
    server: _Server
    task: asyncio.Task[None]

    async def stop(self) -> None:
        self.server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(self.task, timeout=15)


@dataclass
class Platform:
    settings: Settings
    sockets: dict[Role, socket.socket]
    running: dict[Role, RunningRole] = field(default_factory=dict)
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    def url(self, role: Role) -> str:
        return self.settings.url_of(role)

    async def start(self, role: Role, app: Litestar | None = None) -> Litestar:
        if app is None:
            factories: dict[Role, Callable[[Settings], Litestar]] = {
                Role.AUTH: create_auth_app,
                Role.CORE: create_core_app,
                Role.ADMIN: create_admin_app,
            }
            app = factories[role](self.settings)
        sock = self.sockets[role]
        if sock.fileno() == -1:  # closed by an earlier stop: bind the same port again
            port = int(self.url(role).rsplit(":", 1)[1])
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))
            self.sockets[role] = sock
        config = uvicorn.Config(app, log_config=None, access_log=False, timeout_graceful_shutdown=2, lifespan="on")
        server = _Server(config)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        deadline = time.monotonic() + 60
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError(f"{role.value} stopped during start-up")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{role.value} did not start")
            await asyncio.sleep(0.02)
        self.running[role] = RunningRole(app, server, task)
        return app

    async def stop(self, role: Role) -> None:
        running = self.running.pop(role)
        await running.stop()
        self.sockets[role].close()

    def app(self, role: Role) -> Litestar:
        return self.running[role].app

    def client(self, role: Role) -> httpx.AsyncClient:
        client = httpx.AsyncClient(base_url=self.url(role), timeout=30.0)
        self.clients.append(client)
        return client

    def service_client(self, caller: Role, target: Role) -> httpx.AsyncClient:
        """Calls ``target`` with ``caller``'s service credentials (its key in the shared data dir)."""
        issuer = ServiceTokenIssuer(caller, ServiceKeyStore(self.settings).private_key(caller))
        client = httpx.AsyncClient(base_url=self.url(target), auth=ServiceAuth(issuer, target), timeout=30.0)
        self.clients.append(client)
        return client

    async def close(self) -> None:
        for client in self.clients:
            await client.aclose()
        for role in list(self.running):
            await self.stop(role)
        for sock in self.sockets.values():
            sock.close()


@contextlib.asynccontextmanager
async def platform(
    postgres_url: str, data_dir: Path, redis_url: str | None, redis_prefix: str, **overrides: Any
) -> AsyncIterator[Platform]:
    sockets = {role: bound_socket() for role in (Role.AUTH, Role.CORE, Role.ADMIN)}
    options: dict[str, Any] = {
        "database_url": postgres_url,
        "data_dir": data_dir,
        "redis_url": redis_url,
        "redis_prefix": redis_prefix.rstrip(":"),
        "role_urls": {role: f"http://127.0.0.1:{sock.getsockname()[1]}" for role, sock in sockets.items()},
        "signing_key_bits": 2048,
        "internal_call_timeout_seconds": 1.0,
        "bootstrap_admin_email": ADMIN_EMAIL,
        "bootstrap_admin_password": ADMIN_PASSWORD,
    }
    options.update(overrides)
    running = Platform(Settings(**options), sockets)
    try:
        yield running
    finally:
        await running.close()


# --- flows a client goes through ---------------------------------------------------------------


def bearer(token: str, company_id: str | UUID | None = None) -> dict[str, str]:
    headers = {"authorization": f"Bearer {token}"}
    if company_id is not None:
        headers["x-org"] = str(company_id)
    return headers


async def login(auth: httpx.AsyncClient, email: str, password: str) -> dict[str, Any]:
    response = await auth.post("/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def create_company(
    platform: Platform, *, basic: bool, addons: tuple[str, ...] = (), name: str = "Acme", owner_email: str
) -> tuple[str, dict[str, Any]]:
    """A company set up in core (approved, with these subscriptions) and its owner in auth."""
    core = platform.service_client(Role.ADMIN, Role.CORE)
    auth = platform.service_client(Role.ADMIN, Role.AUTH)
    created = await core.post("/internal/companies", json={"name": name})
    assert created.status_code == 201, created.text
    company_id = created.json()["id"]
    assert (await core.post(f"/internal/companies/{company_id}/approve")).status_code == 200
    if basic:
        activated = await core.post(f"/internal/companies/{company_id}/basic", json={"action": "activate"})
        assert activated.status_code == 200, activated.text
    for addon in addons:
        activated = await core.post(
            f"/internal/companies/{company_id}/addons", json={"addonKey": addon, "action": "activate"}
        )
        assert activated.status_code == 200, activated.text
    owner = await auth.post(
        "/internal/owners",
        json={"companyId": company_id, "email": owner_email, "name": "Owner", "password": OWNER_PASSWORD},
    )
    assert owner.status_code == 201, owner.text
    return company_id, owner.json()


async def add_member(
    auth: httpx.AsyncClient,
    manager_token: str,
    company_id: str,
    email: str,
    *,
    role: str = "member",
    modules: tuple[str, ...] = (),
    permissions: tuple[str, ...] = (),
) -> str:
    headers = bearer(manager_token, company_id)
    created = await auth.post(
        "/auth/tenant/memberships",
        json={"email": email, "name": email.split("@")[0], "role": role, "password": MEMBER_PASSWORD},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    membership_id: str = created.json()["membershipId"]
    if modules:
        granted = await auth.post(
            f"/auth/tenant/memberships/{membership_id}/modules", json={"modules": list(modules)}, headers=headers
        )
        assert granted.status_code == 200, granted.text
    if permissions:
        granted = await auth.post(
            f"/auth/tenant/memberships/{membership_id}/permissions",
            json={"permissions": list(permissions)},
            headers=headers,
        )
        assert granted.status_code == 200, granted.text
    return membership_id


# --- a private redis-server that a test may kill ------------------------------------------------


@contextlib.contextmanager
def private_redis() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - a fixed local binary with fixed arguments
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],  # noqa: S607
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.closing(socket.socket()) as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the private redis-server did not start")
            time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0", process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
