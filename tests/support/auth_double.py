"""A small but real auth for the business backends' tests.

It signs access tokens with ``AccessTokenSigner``, serves its JWKS (counting fetches), and answers
``GET /auth/me/access`` from a table that tests edit: member or not, modules, permissions,
``validUntil``. It can be switched to answer 500, to be slow, or to be down (connection refused
at the transport), and it can rotate its signing key. ``client()`` gives an httpx client routed to
it in-process; ``serve()`` runs it on a real port with uvicorn.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from litestar import Litestar, Request, Response, get

from kisum.adapters.security.access_tokens import (
    AccessTokenSigner,
    AccessTokenVerifier,
    SigningKey,
    public_jwk,
)
from kisum.domain.errors import NotAuthenticated
from tests.support.network import free_port

ISSUER = "kisum-auth"
AUDIENCE = "kisum"
ALGORITHM = "PS256"

# Generating RSA keys is slow: a few are made once and reused by every double.
_KEY_POOL = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(3)]


@dataclass
class Grant:
    """What auth says about one user in one company."""

    membership_id: UUID = field(default_factory=uuid.uuid4)
    role: str = "member"
    modules: list[str] = field(default_factory=lambda: ["basic"])
    permissions: list[str] = field(default_factory=list)
    valid_until: datetime | None = None
    entitlement_version: int = 1


@dataclass
class Caller:
    user_id: UUID
    session_id: UUID
    token: str

    def headers(self, company_id: UUID | str | None = None) -> dict[str, str]:
        headers = {"authorization": f"Bearer {self.token}"}
        if company_id is not None:
            headers["x-org"] = str(company_id)
        return headers


class AuthDouble:
    def __init__(self) -> None:
        self._key_index = 0
        self.keys: list[SigningKey] = [SigningKey(kid="k-0", private_key=_KEY_POOL[0])]
        self.grants: dict[tuple[UUID, UUID], Grant] = {}
        self.revoked_sessions: set[UUID] = set()
        self.jwks_fetches = 0
        self.access_calls = 0
        self.failing_status: int | None = None
        self.delay_seconds = 0.0
        self.down = False
        self.seen_request_ids: list[str] = []
        self.app = self._build_app()

    # --- tokens ------------------------------------------------------------------------------

    @property
    def current_key(self) -> SigningKey:
        return self.keys[-1]

    def signer(self, *, key: SigningKey | None = None, audience: str = AUDIENCE, ttl: int = 900) -> AccessTokenSigner:
        return AccessTokenSigner(
            key or self.current_key, algorithm=ALGORITHM, issuer=ISSUER, audience=audience, ttl_seconds=ttl
        )

    def caller(self, *, audience: str = AUDIENCE, ttl: int = 900, issued: datetime | None = None) -> Caller:
        user_id, session_id = uuid.uuid4(), uuid.uuid4()
        token = self.signer(audience=audience, ttl=ttl).sign(
            user_id=user_id, session_id=session_id, token_version=1, now=issued or datetime.now(UTC)
        )
        return Caller(user_id, session_id, token)

    def rotate(self) -> SigningKey:
        """A new current key; the old ones stay published (tokens they signed are still live)."""
        self._key_index += 1
        key = SigningKey(kid=f"k-{self._key_index}", private_key=_KEY_POOL[self._key_index % len(_KEY_POOL)])
        self.keys.append(key)
        return key

    # --- access table ------------------------------------------------------------------------

    def grant(self, caller: Caller, company_id: UUID, **overrides: Any) -> Grant:
        grant = Grant(**overrides)
        self.grants[(caller.user_id, company_id)] = grant
        return grant

    def revoke(self, caller: Caller, company_id: UUID) -> None:
        self.grants.pop((caller.user_id, company_id), None)

    # --- the app -----------------------------------------------------------------------------

    def _verifier(self) -> AccessTokenVerifier:
        return AccessTokenVerifier(algorithm=ALGORITHM, issuer=ISSUER, audience=AUDIENCE)

    def _build_app(self) -> Litestar:
        double = self

        @get("/.well-known/jwks.json", sync_to_thread=False)
        def jwks() -> dict[str, Any]:
            double.jwks_fetches += 1
            return {"keys": [public_jwk(key.kid, key.public_key, ALGORITHM) for key in double.keys]}

        @get("/auth/me/access")
        async def access(request: Request[Any, Any, Any]) -> Response[Any]:
            double.access_calls += 1
            double.seen_request_ids.append(request.headers.get("x-request-id", ""))
            if double.delay_seconds:
                await asyncio.sleep(double.delay_seconds)
            if double.failing_status is not None:
                return Response({"code": "BOOM"}, status_code=double.failing_status)
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            by_kid = {key.kid: key for key in double.keys}
            try:
                verifier = double._verifier()
                unverified = verifier.inspect(token)
                if unverified.kid not in by_kid:
                    raise NotAuthenticated("unknown key")
                claims = verifier.verify(unverified, by_kid[unverified.kid].public_key)
            except NotAuthenticated:
                return Response({"code": "UNAUTHENTICATED"}, status_code=401)
            if claims.session_id in double.revoked_sessions:
                return Response({"code": "UNAUTHENTICATED"}, status_code=401)
            try:
                company_id = UUID(request.headers.get("x-org", ""))
            except ValueError:
                return Response({"code": "ORG_HEADER_INVALID"}, status_code=400)
            grant = double.grants.get((claims.user_id, company_id))
            if grant is None:
                return Response({"code": "NOT_A_MEMBER"}, status_code=403)
            return Response(
                {
                    "userId": str(claims.user_id),
                    "companyId": str(company_id),
                    "membershipId": str(grant.membership_id),
                    "role": grant.role,
                    "modules": sorted(grant.modules),
                    "permissions": sorted(grant.permissions),
                    "delegation": {"canManageMembers": False, "modules": [], "permissions": []},
                    "entitlementVersion": grant.entitlement_version,
                    "accessVersion": f"{grant.entitlement_version}:{len(grant.permissions)}",
                    "validUntil": grant.valid_until.isoformat() if grant.valid_until else None,
                }
            )

        return Litestar(route_handlers=[jwks, access], debug=False)

    # --- how the kit reaches it --------------------------------------------------------------

    def client(self) -> httpx.AsyncClient:
        """An httpx client whose requests reach this double in-process (or fail when it is down)."""
        return httpx.AsyncClient(transport=_SwitchableTransport(self), timeout=5.0)

    @contextlib.asynccontextmanager
    async def serve(self) -> AsyncIterator[str]:
        """Run on a real port, in its own thread and event loop; yields the base URL."""
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="off")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        await asyncio.to_thread(_wait_until_started, server)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            await asyncio.to_thread(thread.join, 5)


class _SwitchableTransport(httpx.AsyncBaseTransport):
    def __init__(self, double: AuthDouble) -> None:
        self.double = double
        self.inner = httpx.ASGITransport(app=double.app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.double.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


def _wait_until_started(server: uvicorn.Server, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline:
            raise TimeoutError("the auth double did not start")
        time.sleep(0.01)
