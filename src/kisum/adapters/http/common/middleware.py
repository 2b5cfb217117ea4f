"""The outermost layer of every role app, wrapped around Litestar's own ASGI handler.

It sits outside routing on purpose: router 404/405 responses, dishka's container and
Litestar's exception handling all run inside it, so every response gets an ``x-request-id``,
a log line and a metric, and a request that overruns its time budget gets a 504 problem.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from litestar.enums import ScopeType

from kisum.adapters.http.common.metrics import UNMATCHED_ROUTE, Metrics
from kisum.adapters.http.common.problems import PROBLEM_MEDIA_TYPE, problem_bytes
from kisum.adapters.request_context import accept_or_new_request_id, request_id_var, role_var

if TYPE_CHECKING:
    from litestar.types import ASGIApp, Message, Receive, Scope, Send

access_logger = logging.getLogger("kisum.access")
error_logger = logging.getLogger("kisum.http")

REQUEST_ID_HEADER = b"x-request-id"


def _inbound_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER:
            return value.decode("latin-1")
    return None


def request_context_middleware(app: ASGIApp, *, role: str, metrics: Metrics, timeout_seconds: float) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        request_id = accept_or_new_request_id(_inbound_request_id(scope))
        request_id_token = request_id_var.set(request_id)
        role_token = role_var.set(role)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_request_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = [h for h in message.get("headers", ()) if h[0].lower() != REQUEST_ID_HEADER]
                headers.append((REQUEST_ID_HEADER, request_id.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        async def send_problem(status_code: int, code: str, detail: str) -> None:
            body = problem_bytes(status_code, code, detail, request_id=request_id)
            await send_with_request_id(
                {
                    "type": "http.response.start",
                    "status": status_code,
                    "headers": [
                        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body, "more_body": False})

        try:
            async with asyncio.timeout(timeout_seconds):
                await app(scope, receive, send_with_request_id)
        except TimeoutError:
            if response_started:
                raise
            await send_problem(504, "REQUEST_TIMEOUT", "The request took too long.")
        except Exception:
            # Litestar handles errors inside routes; this catches what escapes it (middleware, DI).
            error_logger.exception("unhandled error outside the route")
            if response_started:
                raise
            await send_problem(500, "INTERNAL_ERROR", "An unexpected error occurred.")
        finally:
            seconds = time.perf_counter() - started
            route = scope.get("path_template") or UNMATCHED_ROUTE
            method = str(scope.get("method", ""))
            metrics.observe_request(method, route, status, seconds)
            if access_logger.isEnabledFor(logging.INFO):  # skip building the record when it is off
                access_logger.info(
                    "request",
                    extra={
                        "requestId": request_id,
                        "role": role,
                        "method": method,
                        "path": scope.get("path", ""),
                        "route": route,
                        "status": status,
                        "durationMs": round(seconds * 1000, 2),
                    },
                )
            role_var.reset(role_token)
            request_id_var.reset(request_id_token)

    return middleware
