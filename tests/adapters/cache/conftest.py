"""The shared Redis behind a gate, and a private ``redis-server`` per test that needs to kill or
pause Redis (the shared one stays up)."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Iterator

import pytest
import redis

from kisum.adapters.cache.redis import RedisGate, create_redis_client
from tests.support.network import free_port

SHARED_REDIS_TIMEOUT_SECONDS = 2.0
"""These tests are about what Redis stores, not about timeouts (the private server tests those):
a generous timeout keeps a busy machine from tripping the gate in the middle of a count."""


@pytest.fixture
async def gate(redis_url: str, redis_prefix: str) -> AsyncIterator[RedisGate]:
    gate = RedisGate(create_redis_client(redis_url, timeout_seconds=SHARED_REDIS_TIMEOUT_SECONDS), redis_prefix)
    yield gate
    await gate.aclose()


class PrivateRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        server = shutil.which("redis-server")
        assert server, "redis-server must be installed for these tests"
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port, socket_timeout=0.2).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.02)
        raise RuntimeError("private redis-server did not start")

    def pause(self, milliseconds: int) -> None:
        """Every client blocks for a while, then Redis is back with its data (a real outage)."""
        redis.Redis(port=self.port, socket_timeout=1).client_pause(milliseconds, all=True)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()
