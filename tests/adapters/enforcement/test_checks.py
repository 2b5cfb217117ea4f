"""Every status of the integration guide, per check, and the order the checks run in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from kisum.adapters.security.access_tokens import SigningKey
from tests.adapters.enforcement.conftest import Kit
from tests.support.auth_double import _KEY_POOL, AuthDouble

VIEW = ["basic.thing.view"]


def _problem(response: object, status: int, code: str) -> dict:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["code"] == code
    assert response.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    return body


async def test_member_with_module_and_permission_gets_200_and_context(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    grant = kit.double.grant(caller, company, permissions=VIEW, role="admin")
    response = await kit.client.get("/api/things", headers=caller.headers(company))
    assert response.status_code == 200
    assert response.json() == {
        "userId": str(caller.user_id),
        "companyId": str(company),
        "membershipId": str(grant.membership_id),
        "role": "admin",
        "permissions": VIEW,
    }


async def test_missing_token_is_401_with_www_authenticate(kit: Kit) -> None:
    response = await kit.client.get("/api/things", headers={"x-org": str(uuid.uuid4())})
    _problem(response, 401, "UNAUTHENTICATED")
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "authorization",
    ["Bearer", "Bearer not.a.jwt", "Basic dXNlcjpwYXNz", "Bearer a b", "Bearer " + "x" * 9000, "Token abc"],
)
async def test_garbage_authorization_is_401(kit: Kit, authorization: str) -> None:
    response = await kit.client.get("/api/things", headers={"authorization": authorization, "x-org": str(uuid.uuid4())})
    _problem(response, 401, "UNAUTHENTICATED")
    assert response.headers["www-authenticate"] == "Bearer"


async def test_expired_token_is_401(kit: Kit) -> None:
    caller = kit.double.caller(ttl=60, issued=datetime.now(UTC) - timedelta(hours=1))
    company = uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    response = await kit.client.get("/api/things", headers=caller.headers(company))
    _problem(response, 401, "UNAUTHENTICATED")
    assert response.headers["www-authenticate"] == "Bearer"


async def test_wrong_audience_token_is_401(kit: Kit) -> None:
    caller = kit.double.caller(audience="someone-else")
    company = uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    _problem(await kit.client.get("/api/things", headers=caller.headers(company)), 401, "UNAUTHENTICATED")


async def test_token_signed_by_an_unpublished_key_is_401(kit: Kit) -> None:
    rogue = SigningKey(kid="k-0", private_key=_KEY_POOL[2])  # same kid as auth's key, other key
    token = kit.double.signer(key=rogue).sign(
        user_id=uuid.uuid4(), session_id=uuid.uuid4(), token_version=1, now=datetime.now(UTC)
    )
    response = await kit.client.get(
        "/api/things", headers={"authorization": f"Bearer {token}", "x-org": str(uuid.uuid4())}
    )
    _problem(response, 401, "UNAUTHENTICATED")


async def test_token_with_another_algorithm_is_401(kit: Kit) -> None:
    token = jwt.encode(
        {"sub": str(uuid.uuid4()), "iss": "kisum-auth", "aud": "kisum"},
        _KEY_POOL[0],
        algorithm="RS256",
        headers={"kid": "k-0", "typ": "at+jwt"},
    )
    response = await kit.client.get(
        "/api/things", headers={"authorization": f"Bearer {token}", "x-org": str(uuid.uuid4())}
    )
    _problem(response, 401, "UNAUTHENTICATED")


async def test_missing_x_org_is_400_org_header_missing(kit: Kit) -> None:
    caller = kit.double.caller()
    _problem(await kit.client.get("/api/things", headers=caller.headers()), 400, "ORG_HEADER_MISSING")


@pytest.mark.parametrize(
    "org", ["acme", "1234", "{" + str(uuid.UUID(int=1)) + "}", "urn:uuid:" + str(uuid.UUID(int=1))]
)
async def test_malformed_x_org_is_400_org_header_invalid(kit: Kit, org: str) -> None:
    caller = kit.double.caller()
    _problem(await kit.client.get("/api/things", headers=caller.headers(org)), 400, "ORG_HEADER_INVALID")


async def test_non_member_is_403_not_a_member(kit: Kit) -> None:
    caller = kit.double.caller()
    _problem(await kit.client.get("/api/things", headers=caller.headers(uuid.uuid4())), 403, "NOT_A_MEMBER")


async def test_module_not_enabled_is_403_module_disabled_even_with_the_permission(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, modules=["finance"], permissions=VIEW)
    _problem(await kit.client.get("/api/things", headers=caller.headers(company)), 403, "MODULE_DISABLED")


async def test_missing_route_permission_is_403_permission_denied(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 200
    _problem(await kit.client.get("/api/things/secret", headers=caller.headers(company)), 403, "PERMISSION_DENIED")


async def test_auth_rejecting_the_session_is_401(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    kit.double.revoked_sessions.add(caller.session_id)
    response = await kit.client.get("/api/things", headers=caller.headers(company))
    _problem(response, 401, "UNAUTHENTICATED")
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("status", [500, 502, 503, 404])
async def test_auth_error_answer_is_503_access_unavailable_with_retry_after(kit: Kit, status: int) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    kit.double.failing_status = status
    response = await kit.client.get("/api/things", headers=caller.headers(company))
    _problem(response, 503, "ACCESS_UNAVAILABLE")
    assert int(response.headers["retry-after"]) >= 1


async def test_auth_down_is_503_access_unavailable(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    assert (await kit.client.get("/api/things", headers=caller.headers(company))).status_code == 200  # keys loaded
    kit.double.down = True
    other = kit.double.caller()
    kit.double.grant(other, company, permissions=VIEW)
    response = await kit.client.get("/api/things", headers=other.headers(company))
    _problem(response, 503, "ACCESS_UNAVAILABLE")
    assert "retry-after" in response.headers


async def test_auth_down_before_any_key_is_known_is_503_not_200(kit: Kit) -> None:
    kit.double.down = True
    caller = kit.double.caller()
    response = await kit.client.get("/api/things", headers=caller.headers(uuid.uuid4()))
    _problem(response, 503, "ACCESS_UNAVAILABLE")


async def test_auth_slower_than_the_timeout_is_503_within_the_timeout(kit: Kit) -> None:
    import time

    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    kit.double.delay_seconds = 3.0
    started = time.perf_counter()
    response = await kit.client.get("/api/things", headers=caller.headers(company))
    elapsed = time.perf_counter() - started
    _problem(response, 503, "ACCESS_UNAVAILABLE")
    assert elapsed < 1.5  # internal_call_timeout_seconds=0.5 in these tests


async def test_malformed_access_answer_is_503(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    kit.double.failing_status = 200  # 200 with a body that is not the access model
    _problem(await kit.client.get("/api/things", headers=caller.headers(company)), 503, "ACCESS_UNAVAILABLE")


# --- order of the checks -------------------------------------------------------------------------


async def test_token_is_checked_before_x_org(kit: Kit) -> None:
    _problem(await kit.client.get("/api/things"), 401, "UNAUTHENTICATED")
    _problem(
        await kit.client.get("/api/things", headers={"authorization": "Bearer junk", "x-org": "bad"}),
        401,
        "UNAUTHENTICATED",
    )


async def test_x_org_is_checked_before_asking_auth(kit: Kit) -> None:
    caller = kit.double.caller()
    kit.double.down = False
    kit.double.failing_status = 500
    _problem(await kit.client.get("/api/things", headers=caller.headers("bad")), 400, "ORG_HEADER_INVALID")
    assert kit.double.access_calls == 0


async def test_membership_is_checked_before_module_and_permission(kit: Kit) -> None:
    caller = kit.double.caller()
    _problem(await kit.client.get("/api/things/secret", headers=caller.headers(uuid.uuid4())), 403, "NOT_A_MEMBER")


async def test_access_failure_comes_before_module_and_permission(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, modules=[], permissions=[])
    kit.double.failing_status = 500
    _problem(await kit.client.get("/api/things/secret", headers=caller.headers(company)), 503, "ACCESS_UNAVAILABLE")


async def test_request_id_is_forwarded_to_auth(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    await kit.client.get("/api/things", headers={**caller.headers(company), "x-request-id": "trace-42"})
    assert kit.double.seen_request_ids == ["trace-42"]


async def test_health_and_metrics_are_not_behind_the_guard(kit: Kit) -> None:
    assert (await kit.client.get("/health/live")).status_code == 200
    assert (await kit.client.get("/metrics")).status_code == 200


async def test_metrics_count_failures_denials_and_cache(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    await kit.client.get("/api/things")
    await kit.client.get("/api/things", headers=caller.headers(company))
    await kit.client.get("/api/things", headers=caller.headers(company))
    await kit.client.get("/api/things/secret", headers=caller.headers(company))
    text = (await kit.client.get("/metrics")).text
    assert 'kisum_enforcement_auth_failures_total{code="UNAUTHENTICATED",role="basic"} 1.0' in text
    assert 'kisum_enforcement_denials_total{code="PERMISSION_DENIED",role="basic"} 1.0' in text
    assert 'kisum_enforcement_access_cache_total{result="miss",role="basic"} 1.0' in text
    assert 'kisum_enforcement_access_cache_total{result="hit",role="basic"} 2.0' in text


async def test_second_app_on_the_same_controllers_still_injects(make_kit: object) -> None:
    double = AuthDouble()
    for _ in range(2):
        async with make_kit(double) as built:  # type: ignore[operator]
            caller, company = double.caller(), uuid.uuid4()
            double.grant(caller, company, permissions=VIEW)
            assert (await built.client.get("/api/things", headers=caller.headers(company))).status_code == 200


async def test_access_context_is_the_same_through_the_container(kit: Kit) -> None:
    caller, company = kit.double.caller(), uuid.uuid4()
    kit.double.grant(caller, company, permissions=VIEW)
    response = await kit.client.get("/api/things/container", headers=caller.headers(company))
    assert response.status_code == 200
    assert response.json() == {"companyId": str(company)}
