"""The outermost layer of every role app, wrapped around Litestar's own ASGI handler.

It sits outside routing on purpose: router 404/405 responses, dishka's request container and
Litestar's exception handling all run inside it, so every response gets an ``x-request-id``,
a log line and a metric, and a request that overruns its time budget gets a 504 problem.

It is one layer for all of that, and each part is built for a request that needs none of it
(``/health/live`` is the yardstick):

- the request's dishka container is opened when a route first asks it for something
  (``RequestContainer``), not for every request; it is closed where dishka's own middleware
  closed it, after the app, with the exception that left the app if one did;
- time budgets are kept by one timer per event loop (``Deadlines``), not one per request;
- metrics are plain numbers (``Metrics.observe_request``); a new request id comes from one
  random read per 256 ids (``new_request_id``), not a system call and a ``UUID`` per request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from dishka import DEFAULT_COMPONENT, AsyncContainer
from dishka import Scope as DIScope
from dishka.entities.component import Component
from dishka.integrations.litestar import make_add_request_container_middleware
from litestar import Request
from litestar.enums import ScopeType

from kisum.adapters.http.common.metrics import UNMATCHED_ROUTE, Metrics
from kisum.adapters.http.common.problems import PROBLEM_MEDIA_TYPE, problem_bytes
from kisum.adapters.request_context import accept_or_new_request_id, request_id_var, role_var

if TYPE_CHECKING:
    from litestar.types import ASGIApp, Message, Receive, Scope, Send

access_logger = logging.getLogger("kisum.access")
error_logger = logging.getLogger("kisum.http")

REQUEST_ID_HEADER = b"x-request-id"
DISHKA_CONTAINER_KEY = "dishka_container"
"""Where dishka's Litestar integration keeps the request container: ``scope["state"][...]``."""
_TIMER_SLACK = 0.001
"""An event loop may run a timer up to its clock's granularity early (uvloop: 1 ms); a budget that
ends within that of the timer is over, as it would be for ``asyncio.timeout``."""


def _inbound_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER:
            return value.decode("latin-1")
    return None


class RequestContainer:
    """The request's dishka container (REQUEST scope, with the ``Request`` in its context), opened
    on the first ``get``: a route that injects nothing never pays for one.

    It stands where dishka's middleware put the opened container (``connection.state.dishka_container``,
    ``scope["state"]["dishka_container"]``): ``get`` is what guards, middleware and dishka's
    ``wrap_injection`` call; any other attribute of ``AsyncContainer`` opens it and is the
    container's own. ``close`` closes it if it was opened.
    """

    __slots__ = ("_parent", "_scope", "opened")

    def __init__(self, parent: AsyncContainer, scope: Scope) -> None:
        self._parent = parent
        self._scope = scope
        self.opened: AsyncContainer | None = None

    def open(self) -> AsyncContainer:
        container = self.opened
        if container is None:
            # As dishka's middleware did: a Request over the same scope (nothing read from it yet).
            request: Request[Any, Any, Any] = Request(self._scope)
            container = self.opened = self._parent({Request: request}, scope=DIScope.REQUEST)
        return container

    async def get(self, dependency_type: Any, component: Component | None = DEFAULT_COMPONENT) -> Any:
        return await self.open().get(dependency_type, component)

    def __call__(self, *args: Any, **kwargs: Any) -> AsyncContainer:
        return self.open()(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.open(), name)

    async def close(self, exception: BaseException | None = None) -> None:
        """``AsyncContainer.close``, if a route opened the container (what leaving dishka's
        ``async with`` did, with the exception that left it)."""
        if self.opened is not None:
            await self.opened.close(exception)


class _LoopDeadlines:
    __slots__ = ("loop", "running", "timer")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.running: dict[_Budget, None] = {}  # in start order, which is deadline order
        self.timer: asyncio.TimerHandle | None = None


class _Budget:
    __slots__ = ("cancelling", "deadline", "expired", "state", "task")

    def __init__(self, task: asyncio.Task[Any], deadline: float, state: _LoopDeadlines) -> None:
        self.task = task
        self.deadline = deadline
        self.state = state
        self.cancelling = task.cancelling()
        self.expired = False


class Deadlines:
    """The time budget of every request in flight, as ``asyncio.timeout(seconds)`` around each.

    ``asyncio.timeout`` schedules and cancels a timer per request, which costs more than the rest
    of this middleware. Every budget here has the same length, so deadlines come in the order
    requests start: one timer per event loop waits for the oldest request in flight only; when it
    fires, it cancels the requests past their deadline (as ``asyncio.timeout`` does: ``cancel()``
    on the request's task) and waits for the next oldest. A request that ends leaves the set.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._loops: dict[asyncio.AbstractEventLoop, _LoopDeadlines] = {}

    def start(self) -> _Budget:
        task = asyncio.current_task()
        if task is None:
            raise RuntimeError("a request runs in a task")
        loop = task.get_loop()
        state = self._loops.get(loop)
        if state is None:
            state = self._new_loop(loop)
        budget = _Budget(task, loop.time() + self.seconds, state)
        state.running[budget] = None
        if state.timer is None:
            state.timer = loop.call_at(budget.deadline, self._expire, state)
        return budget

    def finish(self, budget: _Budget) -> bool:
        """Whether the budget ran out and the request's cancellation was ours alone (then the
        ``CancelledError`` it raised is a timeout); ``asyncio.timeout``'s ``__aexit__`` in short."""
        budget.state.running.pop(budget, None)
        if not budget.expired:
            return False
        return budget.task.uncancel() <= budget.cancelling

    def _new_loop(self, loop: asyncio.AbstractEventLoop) -> _LoopDeadlines:
        for other in list(self._loops):  # a copy: another thread may serve the app on its own loop
            if other.is_closed():
                self._loops.pop(other, None)  # it closed with a timer pending (a test client's loop)
        state = self._loops[loop] = _LoopDeadlines(loop)
        return state

    def _expire(self, state: _LoopDeadlines) -> None:
        state.timer = None
        now = state.loop.time() + _TIMER_SLACK
        overdue: list[_Budget] = []
        for budget in state.running:
            if budget.deadline > now:
                state.timer = state.loop.call_at(budget.deadline, self._expire, state)
                break
            overdue.append(budget)
        for budget in overdue:
            del state.running[budget]
            budget.expired = True
            budget.task.cancel()
        if not state.running and state.timer is None:
            self._loops.pop(state.loop, None)  # nothing in flight: forget the loop


async def _send_problem(send: Send, status_code: int, code: str, detail: str, request_id: str) -> None:
    body = problem_bytes(status_code, code, detail, request_id=request_id)
    await send(
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


def request_context_middleware(
    app: ASGIApp,
    *,
    role: str,
    metrics: Metrics,
    timeout_seconds: float,
    container: AsyncContainer,
) -> ASGIApp:
    """``app`` behind the request context and the request container of ``container`` (what
    ``dishka.integrations.litestar.setup_dishka`` adds, opened on demand for HTTP requests)."""
    deadlines = Deadlines(timeout_seconds)
    # Anything but HTTP (a websocket session) gets dishka's own middleware, as before.
    other = make_add_request_container_middleware(app)

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await other(scope, receive, send)
            return
        request_id = accept_or_new_request_id(_inbound_request_id(scope))
        request_id_token = request_id_var.set(request_id)
        role_token = role_var.set(role)
        started = time.perf_counter()
        status = 500
        response_started = False
        encoded_request_id = request_id.encode("latin-1")

        async def send_with_request_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = [h for h in message.get("headers", ()) if h[0].lower() != REQUEST_ID_HEADER]
                headers.append((REQUEST_ID_HEADER, encoded_request_id))
                message["headers"] = headers
            await send(message)

        request_container = RequestContainer(container, scope)
        scope.setdefault("state", {})[DISHKA_CONTAINER_KEY] = request_container
        try:
            budget = deadlines.start()
            try:
                try:
                    await app(scope, receive, send_with_request_id)
                except BaseException as error:
                    if request_container.opened is not None:
                        await request_container.close(error)
                    raise
                if request_container.opened is not None:
                    await request_container.close()
            finally:
                timed_out = deadlines.finish(budget)
        except (TimeoutError, asyncio.CancelledError) as error:
            if isinstance(error, asyncio.CancelledError) and not timed_out:
                raise  # not ours (the server's, a client gone): passes through, as before
            if response_started:
                if isinstance(error, TimeoutError):
                    raise
                raise TimeoutError from error
            await _send_problem(send_with_request_id, 504, "REQUEST_TIMEOUT", "The request took too long.", request_id)
        except Exception:
            # Litestar handles errors inside routes; this catches what escapes it (middleware, DI).
            error_logger.exception("unhandled error outside the route")
            if response_started:
                raise
            await _send_problem(
                send_with_request_id, 500, "INTERNAL_ERROR", "An unexpected error occurred.", request_id
            )
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
