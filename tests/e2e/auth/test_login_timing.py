"""Unknown email and wrong password take similar time (a dummy hash is verified for unknown users).

Statistical, not flaky: medians of 15 interleaved attempts each, each attempt on its own account
(so the throttle never answers early), compared with a generous bound. Without the dummy hash
an unknown email answers in about a millisecond against tens of milliseconds for argon2id, a
ratio far outside the bound.
"""

from __future__ import annotations

import statistics
import time

import httpx
import pytest

from tests.e2e.auth.harness import OWNER_PASSWORD, Platform, add_member, create_company, login

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ATTEMPTS = 15


async def _timed_login(auth: httpx.AsyncClient, email: str) -> float:
    started = time.perf_counter()
    response = await auth.post("/auth/login", json={"email": email, "password": "definitely-wrong-1"})
    elapsed = time.perf_counter() - started
    assert response.status_code == 401
    assert response.json()["code"] == "INVALID_CREDENTIALS"
    return elapsed


async def test_unknown_email_costs_about_as_much_as_a_wrong_password(roles: Platform, auth: httpx.AsyncClient) -> None:
    company_id, _ = await create_company(roles, basic=True, owner_email="owner@acme.test")
    owner = (await login(auth, "owner@acme.test", OWNER_PASSWORD))["accessToken"]
    known = [f"known-{i}@acme.test" for i in range(ATTEMPTS)]
    for email in known:
        await add_member(auth, owner, company_id, email)
    await _timed_login(auth, "warm-up@acme.test")

    unknown_times: list[float] = []
    known_times: list[float] = []
    for i in range(ATTEMPTS):
        unknown_times.append(await _timed_login(auth, f"unknown-{i}@acme.test"))
        known_times.append(await _timed_login(auth, known[i]))

    ratio = statistics.median(unknown_times) / statistics.median(known_times)
    assert 0.5 <= ratio <= 2.0, (ratio, unknown_times, known_times)
