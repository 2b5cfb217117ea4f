from __future__ import annotations

import asyncio

from kisum.application.single_flight import SingleFlight


class SlowSource:
    """Answers after a short wait and counts its calls; with ``fails``, every call raises."""

    def __init__(self, answer: int, *, fails: bool = False) -> None:
        self.answer = answer
        self.fails = fails
        self.calls = 0

    async def __call__(self) -> int:
        self.calls += 1
        await asyncio.sleep(0.05)
        if self.fails:
            raise LookupError("source down")
        return self.answer


async def test_single_flight_survives_a_cancelled_caller() -> None:
    flight: SingleFlight[str, int] = SingleFlight()
    source = SlowSource(7)
    first = asyncio.create_task(flight.run("k", source))
    second = asyncio.create_task(flight.run("k", source))
    await asyncio.sleep(0.01)
    first.cancel()
    assert await second == 7
    assert source.calls == 1
    assert flight.in_flight() == 0


async def test_single_flight_shares_a_failure_and_then_forgets_it() -> None:
    flight: SingleFlight[str, int] = SingleFlight()
    down = SlowSource(0, fails=True)
    results = await asyncio.gather(*(flight.run("k", down) for _ in range(5)), return_exceptions=True)
    assert all(isinstance(r, LookupError) for r in results)
    assert down.calls == 1  # five concurrent misses, one call to the source
    assert await flight.run("k", SlowSource(3)) == 3  # the failure is not kept: the next miss calls again
    assert flight.in_flight() == 0


async def test_single_flight_keeps_different_keys_apart() -> None:
    flight: SingleFlight[str, int] = SingleFlight()
    a, b = SlowSource(1), SlowSource(2)
    assert await asyncio.gather(flight.run("a", a), flight.run("b", b)) == [1, 2]
    assert (a.calls, b.calls) == (1, 1)
