"""Shared pieces of the benchmarks: a real platform on PostgreSQL + Redis, wrk, process figures.

The platform runs each role as its own ``kisum serve ROLE`` process (granian, one worker) on
ports 4xxx, against a fresh PostgreSQL database and a private Redis key prefix, exactly as in
production. Figures are compared with a baseline measured in the same run (ratios), because a
shared 2-core machine is noisy.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
KISUM = str(Path(sys.executable).with_name("kisum"))
ADMIN_URL = os.environ.get("KISUM_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("KISUM_BENCH_REDIS", "redis://127.0.0.1:6379/0")
_PORT_BASE = int(os.environ.get("KISUM_BENCH_PORT_BASE", "4000"))  # two runs side by side need two bases
PORTS = {"auth": _PORT_BASE + 1, "core": _PORT_BASE + 2, "admin": _PORT_BASE + 3, "basic": _PORT_BASE + 99}
ADMIN_EMAIL = "bench-admin@kisum.dev"
ADMIN_PASSWORD = "bench-platform-admin-2026"
OWNER_PASSWORD = "bench-owner-password-2026"


@dataclass
class Platform:
    roles: Sequence[str]
    database: str = field(default_factory=lambda: f"kisum_bench_{uuid.uuid4().hex[:8]}")
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="kisum-bench-")))
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, role: str) -> str:
        return f"http://127.0.0.1:{PORTS[role]}"

    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "KISUM_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{self.database}",
            "KISUM_REDIS_URL": REDIS_URL,
            "KISUM_REDIS_PREFIX": f"bench-{self.database}",
            "KISUM_DATA_DIR": str(self.data_dir),
            "KISUM_BOOTSTRAP_ADMIN_EMAIL": ADMIN_EMAIL,
            "KISUM_BOOTSTRAP_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "KISUM_LOG_LEVEL": "WARNING",
        }
        for role, port in PORTS.items():
            env[f"KISUM_{role.upper()}_PORT"] = str(port)
            env[f"KISUM_{role.upper()}_URL"] = f"http://127.0.0.1:{port}"
        return env

    async def __aenter__(self) -> Platform:
        connection = await asyncpg.connect(ADMIN_URL)
        await connection.execute(f'CREATE DATABASE "{self.database}"')
        await connection.close()
        subprocess.run([KISUM, "db", "upgrade"], env=self.env, check=True, capture_output=True)
        for role in self.roles:
            self.processes[role] = subprocess.Popen(
                [KISUM, "serve", role], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        await asyncio.gather(*(self._wait_ready(role) for role in self.roles))
        return self

    async def __aexit__(self, *_: object) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        connection = await asyncpg.connect(ADMIN_URL)
        await connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        await connection.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    async def _wait_ready(self, role: str) -> None:
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if self.processes[role].poll() is not None:
                    raise RuntimeError(f"{role} exited with {self.processes[role].returncode}")
                try:
                    if (await client.get(self.url(role) + "/health/ready")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        raise TimeoutError(f"{role} did not become ready")

    def pids(self, role: str) -> list[int]:
        return process_tree(self.processes[role].pid)


def process_tree(pid: int) -> list[int]:
    pids, pending = [], [pid]
    while pending:
        current = pending.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            children = (task / "children").read_text().split() if (task / "children").exists() else []
            pending.extend(int(child) for child in children)
    return pids


def rss_mib(pids: Iterable[int]) -> float:
    total_kib = 0
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        total_kib += int(match.group(1)) if match else 0
    return total_kib / 1024


def cpu_seconds(pids: Iterable[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int

    def line(self, name: str) -> str:
        return (
            f"{name:<38} {self.requests_per_second:>9.0f} req/s   p50 {self.p50_ms:6.2f} ms   "
            f"p99 {self.p99_ms:6.2f} ms   non-2xx {self.non_2xx}"
        )


def _millis(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, headers: dict[str, str] | None = None, *, connections: int = 64, seconds: int = 10) -> WrkResult:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _millis(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _millis(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return WrkResult(rps, p50, p99, int(bad.group(1)) if bad else 0)


def wrk_with_cpu(
    pids: Iterable[int], url: str, headers: dict[str, str] | None = None, *, connections: int = 64, seconds: int = 10
) -> tuple[WrkResult, float]:
    """A wrk run and the server's CPU per request in microseconds (its processes only: the load
    generator, the database and Redis are not counted), which noise on a shared machine moves less."""
    pids = list(pids)
    before = cpu_seconds(pids)
    result = wrk(url, headers, connections=connections, seconds=seconds)
    spent = cpu_seconds(pids) - before
    return result, spent / (result.requests_per_second * seconds) * 1e6


async def expect(response: httpx.Response, status: int) -> Any:
    if response.status_code != status:
        raise RuntimeError(
            f"{response.request.method} {response.request.url} → {response.status_code}: {response.text}"
        )
    return response.json() if response.content else None


async def login(client: httpx.AsyncClient, auth_url: str, email: str, password: str) -> dict[str, Any]:
    return await expect(await client.post(f"{auth_url}/auth/login", json={"email": email, "password": password}), 200)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class DemoTenant:
    company_id: str
    owner_email: str
    owner_token: str
    owner_refresh: str
    owner_user_id: str


async def seed_tenant(platform: Platform, *, members: int = 0) -> tuple[DemoTenant, list[str]]:
    """A company with Basic + finance and an owner, created through the admin and auth APIs."""
    auth, admin = platform.url("auth"), platform.url("admin")
    async with httpx.AsyncClient(timeout=30) as client:
        admin_token = (await login(client, auth, ADMIN_EMAIL, ADMIN_PASSWORD))["accessToken"]
        as_admin = {"Authorization": f"Bearer {admin_token}"}
        company = await expect(
            await client.post(f"{admin}/admin/companies", json={"name": "Bench Live"}, headers=as_admin), 201
        )
        owner_email = "owner@bench.kisum.dev"
        approve = {"owner": {"email": owner_email, "name": "Bench Owner", "password": OWNER_PASSWORD}}
        await expect(
            await client.post(f"{admin}/admin/companies/{company['id']}/approve", json=approve, headers=as_admin), 200
        )
        await expect(
            await client.post(
                f"{admin}/admin/companies/{company['id']}/basic", json={"action": "activate"}, headers=as_admin
            ),
            200,
        )
        addon = {"addonKey": "finance", "action": "activate"}
        await expect(
            await client.post(f"{admin}/admin/companies/{company['id']}/addons", json=addon, headers=as_admin), 200
        )
        owner = await login(client, auth, owner_email, OWNER_PASSWORD)
        as_owner = {"Authorization": f"Bearer {owner['accessToken']}", "x-org": company["id"]}
        emails = []
        for index in range(members):
            email = f"member{index}@bench.kisum.dev"
            body = {"email": email, "name": f"Member {index}", "role": "member", "password": OWNER_PASSWORD}
            await expect(await client.post(f"{auth}/auth/tenant/memberships", json=body, headers=as_owner), 201)
            emails.append(email)
        tenant = DemoTenant(
            company["id"], owner_email, owner["accessToken"], owner["refreshToken"], owner["user"]["id"]
        )
        return tenant, emails


def print_header(title: str) -> None:
    print(f"\n== {title} (2 cores shared by server and load generator; same-run ratios are the figure)")
