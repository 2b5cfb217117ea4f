"""`kisum serve ROLE` processes of one deployment, started at the same moment on a shared embedded
data dir, find each other's keys and serve the full flow of a client (DESIGN §5)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.network import free_ports

KISUM = str(Path(sys.executable).with_name("kisum"))
ROLES = ("auth", "core", "admin", "basic")
ADMIN = ("root@serve.kisum.dev", "serve-admin-password-1")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KISUM_")}
    env["KISUM_DATA_DIR"] = str(tmp_path / "data")
    env["KISUM_BOOTSTRAP_ADMIN_EMAIL"], env["KISUM_BOOTSTRAP_ADMIN_PASSWORD"] = ADMIN
    for role, port in zip(ROLES, free_ports(len(ROLES)), strict=True):
        env[f"KISUM_{role.upper()}_PORT"] = str(port)
        env[f"KISUM_{role.upper()}_URL"] = f"http://127.0.0.1:{port}"
    return env


@pytest.fixture
def served(env: dict[str, str]) -> Iterator[dict[str, str]]:
    processes = [
        subprocess.Popen(  # noqa: S603
            [KISUM, "serve", role], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for role in ROLES
    ]
    try:
        deadline = time.monotonic() + 60
        for role in ROLES:
            while True:
                assert time.monotonic() < deadline, f"{role} did not become ready"
                try:
                    if httpx.get(env[f"KISUM_{role.upper()}_URL"] + "/health/ready").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
        yield {role: env[f"KISUM_{role.upper()}_URL"] for role in ROLES}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            assert process.wait(timeout=30) is not None


def _ok(response: httpx.Response, status: int = 200) -> dict[str, object]:
    assert response.status_code == status, response.text
    return response.json() if response.content else {}


def test_roles_started_together_serve_a_client_flow(served: dict[str, str]) -> None:
    auth, admin, basic = served["auth"], served["admin"], served["basic"]
    login = {"email": ADMIN[0], "password": ADMIN[1]}
    as_admin = {"Authorization": f"Bearer {_ok(httpx.post(f'{auth}/auth/login', json=login))['accessToken']}"}
    company = _ok(httpx.post(f"{admin}/admin/companies", json={"name": "Serve Live"}, headers=as_admin), 201)
    owner = {"email": "owner@serve.kisum.dev", "name": "Owner", "password": "serve-owner-password-1"}
    _ok(httpx.post(f"{admin}/admin/companies/{company['id']}/approve", json={"owner": owner}, headers=as_admin))
    _ok(httpx.post(f"{admin}/admin/companies/{company['id']}/basic", json={"action": "activate"}, headers=as_admin))

    token = _ok(httpx.post(f"{auth}/auth/login", json={"email": owner["email"], "password": owner["password"]}))
    headers = {"Authorization": f"Bearer {token['accessToken']}", "x-org": str(company["id"])}
    created = _ok(httpx.post(f"{basic}/api/artists", json={"name": "Ada"}, headers=headers), 201)
    assert _ok(httpx.get(f"{basic}/api/artists/{created['id']}", headers=headers))["name"] == "Ada"
    assert httpx.get(f"{basic}/api/artists", headers={"x-org": str(company["id"])}).status_code == 401


def test_db_upgrade_without_a_role_upgrades_every_role(env: dict[str, str], tmp_path: Path) -> None:
    result = subprocess.run([KISUM, "db", "upgrade"], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    upgraded = {line.split(":")[0] for line in result.stdout.splitlines()}
    assert upgraded == {"auth", "core", "basic", "finance", "market", "touring", "venue", "ai"}
    for role in upgraded:
        with sqlite3.connect(tmp_path / "data" / f"{role}.db") as db:
            assert db.execute("SELECT version_num FROM alembic_version").fetchone() is not None


def test_bad_configuration_stops_with_one_line_naming_the_variable(env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603
        [KISUM, "db", "upgrade"], env={**env, "KISUM_CORE_PORT": "x"}, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["kisum: KISUM_CORE_PORT: Expected `int`, got `str`"]
