"""Caches on the hot path: revocation within 1 s, fail closed within 5 s, JWKS rotation and floods."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient

from kisum.adapters.cache.local import ExpiringLru
from kisum.adapters.http.common.enforcement import AccessResolver, AuthAccessClient
from kisum.adapters.security.access_tokens import AccessTokenVerifier, SigningKey
from kisum.adapters.security.identity import JwksKeySource, TokenAuthenticator
from kisum.config import Role, Settings
from kisum.domain.errors import NotAuthenticated, Unavailable
from kisum.ioc.business import create_business_app
from tests.adapters.enforcement.conftest import Kit, thing_backend
from tests.support.auth_double import _KEY_POOL, AuthDouble
from tests.support.network import free_port

VIEW = ["basic.thing.view"]


async def _status_until(kit: Kit, headers: dict[str, str], wanted: int, budget: float) -> float:
    """Seconds until the API answers ``wanted`` (polling), failing after ``budget``."""
    started = time.perf_counter()
    while time.perf_counter() - started < budget:
        if (await kit.client.get("/api/things", headers=headers)).status_code == wanted:
            return time.perf_counter() - started
        await asyncio.sleep(0.02)
    raise AssertionError(f"still not {wanted} after {budget} s")


async def test_revoked_grant_stops_access_within_one_second(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 200
    kit.double.revoke(caller, company)
    assert await _status_until(kit, caller.headers(company), 403, budget=1.0) < 1.0


async def test_permission_revoked_stops_access_within_one_second(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 200
    kit.double.grant(caller, company, permissions=[])
    assert await _status_until(kit, caller.headers(company), 403, budget=1.0) < 1.0


async def test_logout_stops_access_within_one_second(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 200
    kit.double.revoked_sessions.add(caller.session_id)
    assert await _status_until(kit, caller.headers(company), 401, budget=1.0) < 1.0


async def test_module_deactivated_stops_access_within_one_second(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 200
    kit.double.grant(caller, company, modules=["finance"], permissions=VIEW)
    assert await _status_until(kit, caller.headers(company), 403, budget=1.0) < 1.0


async def test_auth_going_down_fails_closed_within_five_seconds_whatever_was_cached(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 200
    kit.double.down = True
    assert await _status_until(kit, caller.headers(company), 503, budget=5.0) < 1.5


async def test_answers_are_reused_briefly(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    for _ in range(5):
        assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 200
    assert kit.double.access_calls == 1


async def test_answer_is_never_used_past_valid_until(make_kit: Any) -> None:
    async with make_kit(access_cache_seconds=1.0) as kit:
        caller, company = kit.double.caller(), uuid.uuid4()
        kit.double.grant(caller, company, permissions=VIEW, valid_until=datetime.now(UTC) + timedelta(seconds=0.2))
        assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 200
        await asyncio.sleep(0.3)
        assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 200
        assert kit.double.access_calls == 2


async def test_answer_already_past_valid_until_is_not_cached(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW, valid_until=datetime.now(UTC) - timedelta(seconds=1))
    for _ in range(3):
        await kit.client.get("/api/things", headers=caller.headers(company))
    assert kit.double.access_calls == 3


async def test_concurrent_misses_share_one_call_to_auth(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    kit.double.delay_seconds = 0.1
    responses = await asyncio.gather(
        *(kit.client.get("/api/things", headers=caller.headers(company)) for _ in range(20))
    )
    assert {r.status_code for r in responses} == {200}
    assert kit.double.access_calls == 1


async def test_denials_are_not_cached_as_access(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 403
    kit.double.grant(caller, company, permissions=VIEW)
    assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 200


def test_cache_longer_than_one_second_is_refused() -> None:
    client = AuthAccessClient(httpx.AsyncClient(), url="http://auth/auth/me/access", timeout_seconds=1.0)
    with pytest.raises(ValueError, match="1 s"):
        AccessResolver(client, cache_seconds=2.0, cache_size=10)


# --- JWKS ----------------------------------------------------------------------------------------


async def test_token_of_a_rotated_key_is_accepted_after_one_refresh(make_kit: Any) -> None:
    async with make_kit(jwks_min_refresh_seconds=0.2) as kit:
        caller, company = kit.double.caller(), uuid.uuid4()
        kit.double.grant(caller, company, permissions=VIEW)
        assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 200
        assert kit.double.jwks_fetches == 1
        await asyncio.sleep(0.25)
        kit.double.rotate()
        rotated = kit.double.caller()
        kit.double.grant(rotated, company, permissions=VIEW)
        assert (await kit.client.get("/api/things", headers=rotated.headers(company))).status_code == 200
        assert kit.double.jwks_fetches == 2
        # the old key still verifies the old token, with no further fetch
        assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 200
        assert kit.double.jwks_fetches == 2


async def test_flood_of_unknown_kids_costs_at_most_the_rate_limited_fetches(make_kit: Any) -> None:
    async with make_kit(jwks_min_refresh_seconds=5.0) as kit:
        caller, company = kit.double.caller(), uuid.uuid4()
        kit.double.grant(caller, company, permissions=VIEW)
        assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 200
        assert kit.double.jwks_fetches == 1
        bogus = [
            kit.double.signer(key=SigningKey(kid=f"bogus-{n}", private_key=_KEY_POOL[1])).sign(
                user_id=uuid.uuid4(), session_id=uuid.uuid4(), token_version=1, now=datetime.now(UTC)
            )
            for n in range(100)
        ]
        responses = await asyncio.gather(
            *(
                kit.client.get("/api/things", headers={"authorization": f"Bearer {t}", "x-org": str(company)})
                for t in bogus
            )
        )
        assert {r.status_code for r in responses} == {401}
        assert kit.double.jwks_fetches == 1  # the last fetch was < 5 s ago: none allowed


async def test_concurrent_unknown_kids_share_one_fetch(make_kit: Any) -> None:
    async with make_kit(jwks_min_refresh_seconds=5.0) as kit:
        company = uuid.uuid4()
        bogus = [
            kit.double.signer(key=SigningKey(kid=f"bogus-{n}", private_key=_KEY_POOL[1])).sign(
                user_id=uuid.uuid4(), session_id=uuid.uuid4(), token_version=1, now=datetime.now(UTC)
            )
            for n in range(30)
        ]
        responses = await asyncio.gather(
            *(
                kit.client.get("/api/things", headers={"authorization": f"Bearer {t}", "x-org": str(company)})
                for t in bogus
            )
        )
        assert {r.status_code for r in responses} == {401}
        assert kit.double.jwks_fetches == 1


def _authenticator(double: AuthDouble, *, cache_size: int = 100, min_refresh: float = 0.0) -> TokenAuthenticator:
    keys = JwksKeySource(
        double.client(),
        url="http://auth/.well-known/jwks.json",
        algorithm="PS256",
        cache_seconds=300,
        min_refresh_seconds=min_refresh,
        timeout_seconds=1.0,
    )
    verifier = AccessTokenVerifier(algorithm="PS256", issuer="kisum-auth", audience="kisum")
    return TokenAuthenticator(keys, verifier, cache_size=cache_size)


async def test_token_cache_is_bounded() -> None:
    double = AuthDouble()
    tokens = _authenticator(double, cache_size=5)
    for _ in range(12):
        await tokens.authenticate(double.caller().token)
    assert tokens.cached_tokens == 5


async def test_token_cache_never_keeps_a_failure() -> None:
    double = AuthDouble()
    tokens = _authenticator(double)
    expired = double.caller(ttl=60, issued=datetime.now(UTC) - timedelta(hours=1)).token
    for _ in range(3):
        with pytest.raises(NotAuthenticated):
            await tokens.authenticate(expired)
    assert tokens.cached_tokens == 0


async def test_token_rejected_while_keys_were_unknown_is_accepted_once_they_are() -> None:
    double = AuthDouble()
    tokens = _authenticator(double)
    caller = double.caller()
    double.down = True
    with pytest.raises(Unavailable) as raised:
        await tokens.authenticate(caller.token)
    assert raised.value.code == "ACCESS_UNAVAILABLE"
    double.down = False
    claims = await tokens.authenticate(caller.token)
    assert claims.user_id == caller.user_id


async def test_verified_token_is_served_from_cache_without_keys() -> None:
    double = AuthDouble()
    tokens = _authenticator(double, min_refresh=60)
    caller = double.caller()
    await tokens.authenticate(caller.token)
    double.down = True
    assert (await tokens.authenticate(caller.token)).session_id == caller.session_id
    assert double.jwks_fetches == 1


# --- cache primitives ----------------------------------------------------------------------------


def test_expiring_lru_drops_expired_and_least_recent() -> None:
    cache: ExpiringLru[str, int] = ExpiringLru(2)
    cache.put("a", 1, deadline=10)
    cache.put("b", 2, deadline=10)
    assert cache.get("a", now=1) == 1  # a is now the most recent
    cache.put("c", 3, deadline=10)
    assert cache.get("b", now=1) is None
    assert cache.get("a", now=1) == 1
    assert cache.get("a", now=10) is None
    assert len(cache) == 1


# --- over a real network -------------------------------------------------------------------------


async def test_unreachable_auth_over_the_network_is_503() -> None:
    settings = Settings(role_urls={Role.AUTH: f"http://127.0.0.1:{free_port()}"}, internal_call_timeout_seconds=0.5)
    app = create_business_app(thing_backend(), settings)  # the kit's own pooled client
    double = AuthDouble()
    caller = double.caller()
    async with AsyncTestClient(app=app) as client:
        started = time.perf_counter()
        response = await client.get("/api/things", headers=caller.headers(uuid.uuid4()))
    assert response.status_code == 503
    assert response.json()["code"] == "ACCESS_UNAVAILABLE"
    assert time.perf_counter() - started < 5


async def test_real_auth_server_slow_past_the_timeout_is_503() -> None:
    double = AuthDouble()
    async with double.serve() as url:
        settings = Settings(role_urls={Role.AUTH: url}, internal_call_timeout_seconds=0.3)
        app = create_business_app(thing_backend(), settings)
        caller, company = double.caller(), uuid.uuid4()
        double.grant(caller, company, permissions=VIEW)
        async with AsyncTestClient(app=app) as client:
            assert (await client.get("/api/things", headers=caller.headers(company))).status_code == 200
            double.delay_seconds = 2.0
            await asyncio.sleep(0.6)  # past the access cache
            started = time.perf_counter()
            response = await client.get("/api/things", headers=caller.headers(company))
            assert response.status_code == 503
            assert response.headers["retry-after"]
            assert time.perf_counter() - started < 1.0
            double.delay_seconds = 0
