from __future__ import annotations

import asyncio

from kisum.application.single_flight import SingleFlight


async def test_single_flight_survives_a_cancelled_caller() -> None:
    flight: SingleFlight[str, int] = SingleFlight()
    calls = 0

    async def slow() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        return 7

    first = asyncio.create_task(flight.run("k", slow))
    second = asyncio.create_task(flight.run("k", slow))
    await asyncio.sleep(0.01)
    first.cancel()
    assert await second == 7
    assert calls == 1
    assert flight.in_flight() == 0


async def test_single_flight_shares_a_failure_and_then_forgets_it() -> None:
    flight: SingleFlight[str, int] = SingleFlight()
    calls = 0

    async def failing() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        raise LookupError("source down")

    results = await asyncio.gather(*(flight.run("k", failing) for _ in range(5)), return_exceptions=True)
    assert all(isinstance(r, LookupError) for r in results)
    assert calls == 1  # five concurrent misses, one call to the source

    async def answering() -> int:
        return 3

    assert await flight.run("k", answering) == 3  # the failure is not kept: the next miss calls again
    assert flight.in_flight() == 0


async def test_single_flight_keeps_different_keys_apart() -> None:
    flight: SingleFlight[str, str] = SingleFlight()

    async def echo(value: str) -> str:
        await asyncio.sleep(0.01)
        return value

    assert await asyncio.gather(flight.run("a", lambda: echo("a")), flight.run("b", lambda: echo("b"))) == ["a", "b"]
