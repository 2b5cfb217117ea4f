"""argon2id at or above OWASP's minimum, off the event loop, with bounded concurrency."""

from __future__ import annotations

import asyncio
import statistics
import time

import pytest

from kisum.adapters.security.passwords import Argon2PasswordHasher
from kisum.config import ConfigError, Settings, load_settings


@pytest.fixture(scope="module")
def hasher() -> Argon2PasswordHasher:
    return Argon2PasswordHasher()


async def test_hash_uses_argon2id_at_owasp_minimum_or_above(hasher: Argon2PasswordHasher) -> None:
    started = time.perf_counter()
    encoded = await hasher.hash("correct horse battery staple")
    print(f"\nargon2id m=19456 t=2 p=1 hash: {(time.perf_counter() - started) * 1000:.1f} ms")

    assert encoded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    memory, time_cost, parallelism = hasher.parameters
    assert memory >= 19456
    assert time_cost >= 2
    assert parallelism >= 1


async def test_verify_accepts_the_password_and_refuses_others(hasher: Argon2PasswordHasher) -> None:
    encoded = await hasher.hash("correct horse battery staple")

    assert await hasher.verify(encoded, "correct horse battery staple") is True
    assert await hasher.verify(encoded, "correct horse battery stapler") is False
    assert await hasher.verify("not-a-hash", "anything") is False
    assert await hasher.verify(encoded, "x" * 100_000) is False


async def test_needs_rehash_when_parameters_change(hasher: Argon2PasswordHasher) -> None:
    encoded = await hasher.hash("correct horse battery staple")
    stronger = Argon2PasswordHasher(memory_kib=24576, time_cost=3)

    assert hasher.needs_rehash(encoded) is False
    assert stronger.needs_rehash(encoded) is True
    assert hasher.needs_rehash("garbage") is True


async def test_verify_dummy_costs_what_a_wrong_password_costs(hasher: Argon2PasswordHasher) -> None:
    encoded = await hasher.hash("correct horse battery staple")
    await hasher.verify_dummy("warm-up")  # the dummy hash is made once, on first use

    async def timed(coroutine: object) -> float:
        started = time.perf_counter()
        await coroutine  # type: ignore[misc]
        return time.perf_counter() - started

    wrong = statistics.median([await timed(hasher.verify(encoded, f"wrong-{i}")) for i in range(7)])
    dummy = statistics.median([await timed(hasher.verify_dummy(f"unknown-{i}")) for i in range(7)])
    print(f"\nverify wrong password: {wrong * 1000:.1f} ms, verify_dummy: {dummy * 1000:.1f} ms")

    assert 0.5 < dummy / wrong < 2.0


async def test_concurrent_hashes_are_bounded_and_the_loop_stays_free() -> None:
    hasher = Argon2PasswordHasher(max_concurrent=2)
    lags: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            lags.append(time.perf_counter() - before - 0.005)

    tick = asyncio.create_task(ticker())
    hashes = await asyncio.gather(*(hasher.hash(f"password-{i}") for i in range(8)))
    done.set()
    await tick
    hasher.close()

    assert len(set(hashes)) == 8
    assert hasher.peak_running == 2
    assert hasher.running == 0
    assert max(lags) < 0.1  # hashing happened in threads, not on the event loop


def test_parameters_below_owasp_are_refused() -> None:
    with pytest.raises(ValueError, match="OWASP"):
        Argon2PasswordHasher(memory_kib=4096)
    with pytest.raises(ValueError, match="OWASP"):
        Argon2PasswordHasher(time_cost=1)
    with pytest.raises(ConfigError, match="KISUM_PASSWORD_HASH_MEMORY_KIB"):
        load_settings({"KISUM_PASSWORD_HASH_MEMORY_KIB": "8192"})


def test_settings_configure_the_hasher() -> None:
    hasher = Argon2PasswordHasher.from_settings(
        Settings(password_hash_memory_kib=32768, password_hash_time_cost=3, password_hash_concurrency=3)
    )
    assert hasher.parameters == (32768, 3, 1)
    assert hasher.max_concurrent == 3
    hasher.close()
