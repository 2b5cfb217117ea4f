"""Login, refresh rotation and reuse detection, logout, sessions, forged tokens, JWKS, over HTTP."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kisum.adapters.security.signing_keys import KeyRing
from kisum.config import Role
from tests.e2e.auth.harness import ADMIN_EMAIL, ADMIN_PASSWORD, OWNER_PASSWORD, Platform, bearer, create_company, login

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _problem(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body: dict[str, Any] = response.json()
    return body


async def test_login_returns_a_token_pair_and_the_user(auth: httpx.AsyncClient) -> None:
    response = await auth.post(
        "/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, headers={"x-request-id": "req-login-1"}
    )

    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req-login-1"
    assert "no-store" in response.headers["cache-control"]
    body = response.json()
    assert set(body) == {"accessToken", "refreshToken", "tokenType", "expiresIn", "sessionId", "user"}
    assert body["tokenType"] == "Bearer"
    assert body["expiresIn"] == 900
    assert body["user"]["email"] == ADMIN_EMAIL
    assert body["user"]["isPlatformAdmin"] is True
    assert set(body["user"]) == {"id", "email", "name", "isPlatformAdmin"}
    header = jwt.get_unverified_header(body["accessToken"])
    assert header["alg"] == "PS256"
    assert header["typ"] == "at+jwt"
    claims = jwt.decode(body["accessToken"], options={"verify_signature": False})
    assert claims["sub"] == body["user"]["id"]
    assert claims["sid"] == body["sessionId"]
    assert {"iss", "aud", "sub", "sid", "tv", "iat", "exp", "jti"} <= set(claims)
    assert "company" not in claims
    assert "permissions" not in claims

    me = await auth.get("/auth/me", headers=bearer(body["accessToken"]))
    assert me.status_code == 200
    assert me.json() == {
        "id": body["user"]["id"],
        "email": ADMIN_EMAIL,
        "name": body["user"]["name"],
        "isPlatformAdmin": True,
        "memberships": [],
    }


async def test_unknown_email_and_wrong_password_answer_the_same(auth: httpx.AsyncClient) -> None:
    unknown = await auth.post("/auth/login", json={"email": "nobody@kisum.test", "password": ADMIN_PASSWORD})
    wrong = await auth.post("/auth/login", json={"email": ADMIN_EMAIL, "password": "not-the-password"})

    assert unknown.status_code == wrong.status_code == 401
    first, second = _problem(unknown), _problem(wrong)
    first.pop("requestId")
    second.pop("requestId")
    assert first == second
    assert first["code"] == "INVALID_CREDENTIALS"
    assert unknown.headers.get("www-authenticate") == wrong.headers.get("www-authenticate")


async def test_repeated_failures_are_throttled_with_retry_after(auth: httpx.AsyncClient) -> None:
    for _ in range(5):
        failed = await auth.post("/auth/login", json={"email": ADMIN_EMAIL, "password": "wrong-password"})
        assert failed.status_code == 401

    throttled = await auth.post("/auth/login", json={"email": ADMIN_EMAIL, "password": "wrong-password"})
    even_right = await auth.post("/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})

    assert throttled.status_code == 429
    assert _problem(throttled)["code"] == "RATE_LIMITED"
    assert int(throttled.headers["retry-after"]) >= 1
    assert even_right.status_code == 429  # while throttled, even the right password is not tried


async def test_invalid_login_bodies_are_400_not_401(auth: httpx.AsyncClient) -> None:
    extra = await auth.post("/auth/login", json={"email": ADMIN_EMAIL, "password": "x" * 10, "admin": True})
    missing = await auth.post("/auth/login", json={"email": ADMIN_EMAIL})
    wrong_type = await auth.post("/auth/login", json={"email": ADMIN_EMAIL, "password": 12345678})

    for response in (extra, missing, wrong_type):
        assert response.status_code == 400
        assert _problem(response)["code"] == "VALIDATION_ERROR"


# --- forged and malformed access tokens ----------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segments(header: dict[str, Any], payload: dict[str, Any]) -> str:
    return _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(payload).encode())


ATTACKER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


async def _forgeries(roles: Platform, token: str) -> dict[str, str]:
    ring = await roles.app(Role.AUTH).state.dishka_container.get(KeyRing)
    signing = ring.signing_key(datetime.now(UTC))
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    now = int(time.time())

    def signed(**changes: Any) -> str:
        return jwt.encode({**claims, **changes}, signing.private_key, algorithm="PS256", headers=header)

    public_pem = signing.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    hs_input = _segments({**header, "alg": "HS256"}, claims)
    hs256 = hs_input + "." + _b64(hmac.new(public_pem, hs_input.encode(), hashlib.sha256).digest())
    head, _, signature = token.split(".")
    edited = _segments(header, {**claims, "sub": str(uuid.uuid4())}).split(".")[1]
    attacker_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(ATTACKER_KEY.public_key()))
    nested_header = _b64(b"[" * 3000 + b"]" * 3000)

    return {
        "alg none": _segments({**header, "alg": "none"}, claims) + ".",
        "HS256 keyed with the public key": hs256,
        "edited payload": f"{head}.{edited}.{signature}",
        "wrong audience": signed(aud="someone-else"),
        "wrong issuer": signed(iss="https://evil.example"),
        "expired": signed(iat=now - 7200, exp=now - 3600),
        "typ JWT": jwt.encode(claims, signing.private_key, algorithm="PS256", headers={**header, "typ": "JWT"}),
        "RS256 instead of the pinned PS256": jwt.encode(
            claims, signing.private_key, algorithm="RS256", headers={**header, "alg": "RS256"}
        ),
        "attacker key with an embedded jwk": jwt.encode(
            claims, ATTACKER_KEY, algorithm="PS256", headers={**header, "jwk": attacker_jwk}
        ),
        "attacker key under an unknown kid": jwt.encode(
            claims, ATTACKER_KEY, algorithm="PS256", headers={**header, "kid": "attacker"}
        ),
        "missing sid": jwt.encode(
            {k: v for k, v in claims.items() if k != "sid"}, signing.private_key, algorithm="PS256", headers=header
        ),
        "tv is a string": signed(tv=str(claims["tv"])),
        "deeply nested header": f"{nested_header}.{edited}.{signature}",
        "not base64": "%%%.%%%.%%%",
        "two segments": f"{head}.{edited}",
        "oversized": "a" * 9000 + "." + "b" * 10 + "." + "c",
        "unicode": "ü.ö.ä",
    }


async def test_forged_and_malformed_tokens_are_401(roles: Platform, auth: httpx.AsyncClient) -> None:
    token = (await login(auth, ADMIN_EMAIL, ADMIN_PASSWORD))["accessToken"]
    assert (await auth.get("/auth/me", headers=bearer(token))).status_code == 200  # the real one works

    forgeries = await _forgeries(roles, token)
    statuses = {}
    for name, forged in forgeries.items():
        # Raw bytes: a hostile client is not limited to ASCII headers.
        response = await auth.get("/auth/me", headers={"authorization": ("Bearer " + forged).encode("utf-8")})
        statuses[name] = (response.status_code, response.json().get("code"))
    assert statuses == dict.fromkeys(forgeries, (401, "UNAUTHENTICATED"))


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Basic dXNlcjpwYXNz", "Bearer a b", "Token abc.def.ghi"],
    ids=["absent", "empty", "scheme only", "basic", "two tokens", "other scheme"],
)
async def test_missing_or_malformed_authorization_is_401(auth: httpx.AsyncClient, authorization: str | None) -> None:
    headers = {} if authorization is None else {"authorization": authorization}
    response = await auth.get("/auth/me", headers=headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert _problem(response)["code"] == "UNAUTHENTICATED"


# --- refresh ---------------------------------------------------------------------------------


async def test_refresh_rotates_the_refresh_token(auth: httpx.AsyncClient) -> None:
    first = await login(auth, ADMIN_EMAIL, ADMIN_PASSWORD)

    second = await auth.post("/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refreshToken"] != first["refreshToken"]
    assert rotated["accessToken"] != first["accessToken"]
    assert rotated["sessionId"] == first["sessionId"]
    assert set(rotated) == set(first)

    third = await auth.post("/auth/refresh", json={"refreshToken": rotated["refreshToken"]})
    assert third.status_code == 200
    assert (await auth.get("/auth/me", headers=bearer(third.json()["accessToken"]))).status_code == 200


async def test_refresh_reuse_revokes_the_whole_session(auth: httpx.AsyncClient) -> None:
    first = await login(auth, ADMIN_EMAIL, ADMIN_PASSWORD)
    rotated = (await auth.post("/auth/refresh", json={"refreshToken": first["refreshToken"]})).json()
    assert (await auth.get("/auth/me", headers=bearer(rotated["accessToken"]))).status_code == 200

    reused = await auth.post("/auth/refresh", json={"refreshToken": first["refreshToken"]})

    assert reused.status_code == 401
    assert _problem(reused)["code"] == "REFRESH_TOKEN_REUSED"
    assert (await auth.get("/auth/me", headers=bearer(rotated["accessToken"]))).status_code == 401
    after = await auth.post("/auth/refresh", json={"refreshToken": rotated["refreshToken"]})
    assert after.status_code == 401


async def test_unknown_refresh_token_is_401(auth: httpx.AsyncClient) -> None:
    response = await auth.post("/auth/refresh", json={"refreshToken": "not-a-token-we-issued"})

    assert response.status_code == 401
    assert _problem(response)["code"] == "INVALID_REFRESH_TOKEN"


async def test_parallel_refreshes_of_one_token_succeed_exactly_once(auth: httpx.AsyncClient) -> None:
    first = await login(auth, ADMIN_EMAIL, ADMIN_PASSWORD)

    responses = await asyncio.gather(
        *(auth.post("/auth/refresh", json={"refreshToken": first["refreshToken"]}) for _ in range(20))
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [401] * 19
    assert {r.json()["code"] for r in responses if r.status_code == 401} <= {
        "REFRESH_TOKEN_REUSED",
        "INVALID_REFRESH_TOKEN",
    }


# --- logout and sessions ---------------------------------------------------------------------


async def test_logout_kills_the_access_token_at_once(auth: httpx.AsyncClient) -> None:
    session = await login(auth, ADMIN_EMAIL, ADMIN_PASSWORD)
    other = await login(auth, ADMIN_EMAIL, ADMIN_PASSWORD)

    assert (await auth.post("/auth/logout", headers=bearer(session["accessToken"]))).status_code == 204

    assert (await auth.get("/auth/me", headers=bearer(session["accessToken"]))).status_code == 401
    assert (await auth.post("/auth/refresh", json={"refreshToken": session["refreshToken"]})).status_code == 401
    assert (await auth.get("/auth/me", headers=bearer(other["accessToken"]))).status_code == 200
    # /auth/me/access checks the session in its own statement: dead session 401 before membership 403.
    org = {"x-org": str(uuid.uuid4())}
    dead = await auth.get("/auth/me/access", headers={**bearer(session["accessToken"]), **org})
    assert (dead.status_code, dead.json()["code"]) == (401, "UNAUTHENTICATED")
    live = await auth.get("/auth/me/access", headers={**bearer(other["accessToken"]), **org})
    assert (live.status_code, live.json()["code"]) == (403, "NOT_A_MEMBER")


async def test_logout_all_kills_every_session(auth: httpx.AsyncClient) -> None:
    sessions = [await login(auth, ADMIN_EMAIL, ADMIN_PASSWORD) for _ in range(3)]

    assert (await auth.post("/auth/logout-all", headers=bearer(sessions[0]["accessToken"]))).status_code == 204

    for session in sessions:
        assert (await auth.get("/auth/me", headers=bearer(session["accessToken"]))).status_code == 401
        assert (await auth.post("/auth/refresh", json={"refreshToken": session["refreshToken"]})).status_code == 401
        access = await auth.get(
            "/auth/me/access", headers={**bearer(session["accessToken"]), "x-org": str(uuid.uuid4())}
        )
        assert access.status_code == 401
    fresh = await login(auth, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert (await auth.get("/auth/me", headers=bearer(fresh["accessToken"]))).status_code == 200


async def test_sessions_are_listed_and_revoked_one_by_one(roles: Platform, auth: httpx.AsyncClient) -> None:
    current = await login(auth, ADMIN_EMAIL, ADMIN_PASSWORD)
    phone = await auth.post(
        "/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, headers={"user-agent": "PhoneApp/1.0"}
    )
    phone_session = phone.json()

    listed = await auth.get("/auth/me/sessions", headers=bearer(current["accessToken"]))
    assert listed.status_code == 200
    page = listed.json()
    assert page["total"] == 2
    assert page["page"] == 1
    assert page["limit"] == 20
    by_id = {item["id"]: item for item in page["items"]}
    assert by_id[current["sessionId"]]["current"] is True
    assert by_id[phone_session["sessionId"]]["current"] is False
    assert by_id[phone_session["sessionId"]]["userAgent"] == "PhoneApp/1.0"
    assert by_id[phone_session["sessionId"]]["ip"] == "127.0.0.1"

    revoked = await auth.delete(
        f"/auth/me/sessions/{phone_session['sessionId']}", headers=bearer(current["accessToken"])
    )
    assert revoked.status_code == 204
    assert (await auth.get("/auth/me", headers=bearer(phone_session["accessToken"]))).status_code == 401

    # Someone else's session is not found, whoever asks.
    _, _owner = await create_company(roles, basic=True, owner_email="owner@acme.test")
    owner_tokens = await login(auth, "owner@acme.test", OWNER_PASSWORD)
    foreign = await auth.delete(
        f"/auth/me/sessions/{current['sessionId']}", headers=bearer(owner_tokens["accessToken"])
    )
    assert foreign.status_code == 404
    assert (await auth.get("/auth/me", headers=bearer(current["accessToken"]))).status_code == 200
    malformed = await auth.delete("/auth/me/sessions/not-a-uuid", headers=bearer(current["accessToken"]))
    assert malformed.status_code == 400


# --- JWKS ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/.well-known/jwks.json", "/auth/.well-known/jwks.json"])
async def test_jwks_publishes_public_members_only(auth: httpx.AsyncClient, path: str) -> None:
    response = await auth.get(path)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=300"
    keys = response.json()["keys"]
    assert keys
    for key in keys:
        assert set(key) == {"kty", "kid", "use", "alg", "n", "e"}
        assert key["kty"] == "RSA"
        assert key["alg"] == "PS256"
        assert key["use"] == "sig"

    # The published key verifies the tokens auth issues.
    token = (await login(auth, ADMIN_EMAIL, ADMIN_PASSWORD))["accessToken"]
    kid = jwt.get_unverified_header(token)["kid"]
    public = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(next(k for k in keys if k["kid"] == kid)))
    claims = jwt.decode(token, public, algorithms=["PS256"], audience="kisum", issuer="kisum-auth")  # type: ignore[arg-type]
    assert claims["iss"] == "kisum-auth"


# --- internal routes -------------------------------------------------------------------------


async def test_internal_routes_refuse_user_tokens_and_wrong_callers(roles: Platform, auth: httpx.AsyncClient) -> None:
    user_token = (await login(auth, ADMIN_EMAIL, ADMIN_PASSWORD))["accessToken"]
    event = {"companyId": str(uuid.uuid4()), "entitlementVersion": 2}
    owner = {"companyId": str(uuid.uuid4()), "email": "x@acme.test", "name": "X", "password": OWNER_PASSWORD}

    as_user = [
        await auth.post("/internal/events/entitlements-changed", json=event, headers=bearer(user_token)),
        await auth.get("/internal/permissions", headers=bearer(user_token)),
        await auth.post("/internal/owners", json=owner, headers=bearer(user_token)),
        await auth.get(f"/internal/users/{uuid.uuid4()}", headers=bearer(user_token)),
        await auth.post("/internal/events/entitlements-changed", json=event),
    ]
    assert [r.status_code for r in as_user] == [401] * 5

    from_admin = roles.service_client(Role.ADMIN, Role.AUTH)
    from_core = roles.service_client(Role.CORE, Role.AUTH)
    wrong_caller = [
        await from_admin.post("/internal/events/entitlements-changed", json=event),
        await from_core.get("/internal/permissions"),
        await from_core.post("/internal/owners", json=owner),
        await from_core.get(f"/internal/users/{uuid.uuid4()}"),
    ]
    assert [r.status_code for r in wrong_caller] == [403] * 4
    assert {r.json()["code"] for r in wrong_caller} == {"SERVICE_NOT_ALLOWED"}

    right_caller = await from_core.post("/internal/events/entitlements-changed", json=event)
    assert right_caller.status_code == 204


async def test_owner_creation_is_idempotent(roles: Platform) -> None:
    internal = roles.service_client(Role.ADMIN, Role.AUTH)
    body = {"companyId": str(uuid.uuid4()), "email": "Boss@Acme.test", "name": "Boss", "password": OWNER_PASSWORD}

    first = await internal.post("/internal/owners", json=body)
    again = await internal.post("/internal/owners", json={**body, "email": "boss@acme.test", "password": None})

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    assert set(first.json()) == {"userId", "membershipId"}
    user = await internal.get(f"/internal/users/{first.json()['userId']}")
    assert user.status_code == 200
    assert user.json()["email"] == "boss@acme.test"
    assert user.json()["isPlatformAdmin"] is False
    missing = await internal.get(f"/internal/users/{uuid.uuid4()}")
    assert missing.status_code == 404
