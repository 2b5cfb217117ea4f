"""An open-loop load generator: requests start on a fixed schedule, whatever the answers take.

wrk is a closed loop (each connection waits for its answer before the next request), so at 64
connections its latency is the queue in front of a saturated server. hey's rate limit fires all
its workers on the same tick, which sends bursts of 64. Here the n-th request is due at
``start + n / rate``, goes out on the first of ``connections`` keep-alive connections that is
free, and its latency is counted from when it was due, so time spent waiting for a connection
counts too (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
from urllib.parse import urlsplit

import uvloop

from benchmarks.harness import WrkResult

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


def _request(url: str, headers: dict[str, str] | None) -> bytes:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {path} HTTP/1.1", f"Host: {parts.netloc}", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _exchange(connection: Connection, request: bytes) -> int:
    reader, writer = connection
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def _run(url: str, headers: dict[str, str] | None, rate: float, seconds: float, connections: int) -> WrkResult:
    parts = urlsplit(url)
    request = _request(url, headers)
    idle: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(connections):
        idle.put_nowait(await asyncio.open_connection(parts.hostname, parts.port))
    latencies: list[float] = []
    failed = 0

    async def one(due: float) -> None:
        nonlocal failed
        connection = await idle.get()
        try:
            if not 200 <= await _exchange(connection, request) < 300:
                failed += 1
        finally:
            idle.put_nowait(connection)
        latencies.append(time.perf_counter() - due)

    # One dispatcher starts each request when it is due (no thousands of sleeping tasks), and the
    # generator's own garbage collector stays off meanwhile: its pauses would count as latency.
    start = time.perf_counter() + 0.1  # the event loop's clock is too coarse here (1 ms on uvloop)
    total = int(rate * seconds)
    running: set[asyncio.Task[None]] = set()
    gc.disable()
    try:
        for index in range(total):
            due = start + index / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            task = asyncio.ensure_future(one(due))
            running.add(task)
            task.add_done_callback(running.discard)
        await asyncio.gather(*running)
    finally:
        gc.enable()
    elapsed = time.perf_counter() - start
    while not idle.empty():
        idle.get_nowait()[1].close()
    cuts = statistics.quantiles(latencies, n=100)
    return WrkResult(len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000, failed)


def open_loop(
    url: str, headers: dict[str, str] | None = None, *, rate: float, seconds: float = 10, connections: int = 64
) -> WrkResult:
    """Run in a fresh event loop (call it from a thread or a plain function, not from a coroutine)."""
    return uvloop.run(_run(url, headers, rate, seconds, connections))
