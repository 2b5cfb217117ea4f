"""`kisum dev` as a newcomer runs it: every role comes up on embedded defaults with the demo seeded."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kisum.config import DEFAULT_PORTS
from tests.support.network import free_ports

KISUM = str(Path(sys.executable).with_name("kisum"))


@pytest.fixture
def dev_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KISUM_")}
    env["KISUM_DATA_DIR"] = str(tmp_path / "data")
    for role, port in zip(DEFAULT_PORTS, free_ports(len(DEFAULT_PORTS)), strict=True):
        env[f"KISUM_{role.value.upper()}_PORT"] = str(port)
        env[f"KISUM_{role.value.upper()}_URL"] = f"http://127.0.0.1:{port}"
    return env


@pytest.fixture
def run_dev(dev_env: dict[str, str], tmp_path: Path) -> Iterator[object]:
    processes: list[subprocess.Popen[str]] = []

    def start() -> tuple[subprocess.Popen[str], str]:
        process = subprocess.Popen(  # noqa: S603
            [KISUM, "dev"], env=dev_env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        processes.append(process)
        banner, deadline = [], time.monotonic() + 90
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                pytest.fail(f"kisum dev exited with {process.returncode}: {''.join(banner)}")
            banner.append(line)
            if line.startswith("  curl") and "finance" in line:
                return process, "".join(banner)
        pytest.fail("kisum dev did not print its banner in time")

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def _stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGINT)
    return process.wait(timeout=30)


def test_kisum_dev_serves_every_role_with_a_working_demo(run_dev: object, dev_env: dict[str, str]) -> None:
    process, banner = run_dev()  # type: ignore[operator]
    company = re.search(r'Demo Live": ([0-9a-f-]{36})', banner).group(1)  # type: ignore[union-attr]
    auth, basic = dev_env["KISUM_AUTH_URL"], dev_env["KISUM_BASIC_URL"]
    credentials = {"email": "owner@demo.kisum.dev", "password": "demo-owner-2026"}
    token = httpx.post(f"{auth}/auth/login", json=credentials).json()["accessToken"]
    headers = {"Authorization": f"Bearer {token}", "x-org": company}

    access = httpx.get(f"{auth}/auth/me/access", headers=headers).json()
    assert access["modules"] == ["basic", "finance"]
    events = httpx.get(f"{basic}/api/events", params={"type": "upcoming"}, headers=headers).json()
    assert [event["name"] for event in events["items"]] == ["Spring Opener", "Late Night Session"]
    market = httpx.get(f"{dev_env['KISUM_MARKET_URL']}/api/market/campaigns", headers=headers)
    assert market.json()["code"] == "MODULE_DISABLED"
    assert _stop(process) == 0

    _, second_banner = run_dev()  # type: ignore[operator]
    assert f'Demo Live": {company}' in second_banner  # found again, not seeded twice
