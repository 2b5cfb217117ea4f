"""A bare Litestar app (one trivial route, no middleware, no DI) served as ``kisum serve`` serves a role.

The yardstick of ``middleware_bench``: what the server and Litestar cost for the same answer as a
role's ``/health/live`` (``{"status": "ok"}``), so the role app's own layers show as a ratio.

    .venv/bin/python -m benchmarks.bare_app PORT
"""

from __future__ import annotations

import sys

from litestar import Litestar, MediaType, get


@get("/health/live", media_type=MediaType.JSON, sync_to_thread=False)
def live() -> dict[str, str]:
    return {"status": "ok"}


def create_app() -> Litestar:
    return Litestar(route_handlers=[live], logging_config=None, debug=False)


def serve(port: int) -> None:
    """granian with the arguments of ``kisum serve`` (cli.serve): one ASGI worker on uvloop."""
    from granian.constants import Interfaces, Loops
    from granian.server import Server

    Server(
        "benchmarks.bare_app:create_app",
        address="127.0.0.1",
        port=port,
        interface=Interfaces.ASGI,
        workers=1,
        loop=Loops.uvloop,
        factory=True,
        log_access=False,
    ).serve()


if __name__ == "__main__":
    serve(int(sys.argv[1]))
