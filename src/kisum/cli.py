"""The ``kisum`` command: serve one role, run the whole platform for development, migrate."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from kisum.config import ConfigError, Role, Settings, load_settings


def _fail(message: str) -> None:
    print(f"kisum: {message}", file=sys.stderr)
    raise SystemExit(2)


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as error:
        _fail(str(error))
        raise  # unreachable; keeps type checkers honest


def _role(name: str) -> Role:
    try:
        return Role(name)
    except ValueError:
        _fail(f"unknown role {name!r}; roles: {', '.join(r.value for r in Role)}")
        raise


# --- kisum serve ROLE -------------------------------------------------------------------------


def serve(role: Role, *, workers: int, server: str) -> None:
    from kisum.adapters.http.common.logging import configure_logging
    from kisum.ioc.registry import factory_path

    settings = _settings()
    configure_logging(settings.log_level)
    target = factory_path(role)
    port = settings.port_of(role)
    if server == "uvicorn":
        import uvicorn

        uvicorn.run(
            target,
            factory=True,
            host=settings.host,
            port=port,
            workers=workers,
            loop="uvloop",
            http="httptools",
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=int(settings.shutdown_timeout_seconds),
            ssl_certfile=str(settings.tls_cert_file) if settings.tls_cert_file else None,
            ssl_keyfile=str(settings.tls_key_file) if settings.tls_key_file else None,
            ssl_ca_certs=str(settings.tls_client_ca_file) if settings.tls_client_ca_file else None,
            ssl_cert_reqs=2 if settings.tls_client_ca_file else 0,  # ssl.CERT_REQUIRED for mTLS
        )
        return
    from granian.constants import Interfaces, Loops
    from granian.server import Server

    Server(
        target,
        address=settings.host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        loop=Loops.uvloop,
        factory=True,
        log_access=False,
        workers_kill_timeout=int(settings.shutdown_timeout_seconds),
        ssl_cert=settings.tls_cert_file,
        ssl_key=settings.tls_key_file,
        ssl_ca=settings.tls_client_ca_file,
        ssl_client_verify=settings.tls_client_ca_file is not None,
    ).serve()


# --- kisum dev --------------------------------------------------------------------------------


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _dev_environment() -> None:
    """Embedded defaults for a laptop: SQLite files, in-process cache, a known admin login."""
    os.environ.setdefault("KISUM_DATA_DIR", str(Path(".kisum").resolve()))
    os.environ.setdefault("KISUM_BOOTSTRAP_ADMIN_EMAIL", DEV_ADMIN_EMAIL)
    os.environ.setdefault("KISUM_BOOTSTRAP_ADMIN_PASSWORD", DEV_ADMIN_PASSWORD)


DEV_ADMIN_EMAIL = "admin@kisum.dev"
DEV_ADMIN_PASSWORD = "kisum-admin-demo"  # noqa: S105 - printed for the developer on purpose


async def _dev(roles: Sequence[Role]) -> None:
    import uvicorn

    from kisum.adapters.http.common.logging import configure_logging
    from kisum.ioc.registry import app_factory

    _dev_environment()
    settings = _settings()
    configure_logging(settings.log_level)
    busy = [role for role in roles if not _port_is_free(settings.host, settings.port_of(role))]
    if busy:
        _fail(
            "ports already in use: "
            + ", ".join(f"{role.value}={settings.port_of(role)}" for role in busy)
            + " (set KISUM_<ROLE>_PORT to move a role)"
        )

    class _Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:  # one handler for all servers, below
            yield

    servers = [
        _Server(
            uvicorn.Config(
                app_factory(role)(settings),
                host=settings.host,
                port=settings.port_of(role),
                log_config=None,
                access_log=False,
                timeout_graceful_shutdown=int(settings.shutdown_timeout_seconds),
            )
        )
        for role in roles
    ]

    def stop(*_: object) -> None:
        for server in servers:
            server.should_exit = True

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)

    async def announce() -> None:
        while not all(server.started for server in servers):
            if any(server.should_exit for server in servers):
                return
            await asyncio.sleep(0.05)
        from kisum.devdemo import DEMO_ROLES, DemoSeedError, describe_platform, seed_demo

        demo = None
        if all(role in roles for role in DEMO_ROLES):
            try:
                demo = await seed_demo(settings)
            except (DemoSeedError, OSError) as error:
                print(f"kisum: the demo could not be seeded: {error}", file=sys.stderr, flush=True)
        print(describe_platform(settings, roles, demo), flush=True)

    await asyncio.gather(*(server.serve() for server in servers), announce())


def dev(role_names: Sequence[str]) -> None:
    from kisum.ioc.registry import available_roles

    roles = [_role(name) for name in role_names] if role_names else available_roles()
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    asyncio.run(_dev(roles))


# --- kisum db upgrade [ROLE] ------------------------------------------------------------------


def db_upgrade(role_names: Sequence[str], revision: str) -> None:
    from kisum.adapters.persistence.migrations import roles_with_migrations, upgrade

    settings = _settings()
    roles = [_role(name) for name in role_names] if role_names else [Role(r) for r in roles_with_migrations()]

    async def run() -> None:
        for role in roles:
            await upgrade(role.value, settings.database_url_of(role), revision)
            print(f"{role.value}: upgraded to {revision}")

    asyncio.run(run())


# --- kisum keys rotate ------------------------------------------------------------------------


def keys_rotate() -> None:
    from kisum.adapters.security.signing_keys import SigningKeyError
    from kisum.keys_cli import describe_rotation, rotate_keys

    settings = _settings()
    try:
        result = asyncio.run(rotate_keys(settings))
    except SigningKeyError as error:
        _fail(str(error))
        raise
    print(describe_rotation(result))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="kisum", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="serve one role")
    serve_parser.add_argument("role", help=", ".join(r.value for r in Role))
    serve_parser.add_argument("--workers", type=int, default=1)
    serve_parser.add_argument("--server", choices=["granian", "uvicorn"], default="granian")

    dev_parser = commands.add_parser("dev", help="run every role with embedded defaults and demo data")
    dev_parser.add_argument("roles", nargs="*", help="only these roles (default: all)")

    db_parser = commands.add_parser("db", help="database migrations")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True)
    upgrade_parser = db_commands.add_parser("upgrade", help="upgrade one role, or every role")
    upgrade_parser.add_argument("role", nargs="?")
    upgrade_parser.add_argument("--revision", default="head")

    keys_parser = commands.add_parser("keys", help="access-token signing keys")
    keys_commands = keys_parser.add_subparsers(dest="keys_command", required=True)
    keys_commands.add_parser("rotate", help="publish a new signing key; auth switches to it after the JWKS cache time")

    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(_role(args.role), workers=args.workers, server=args.server)
    elif args.command == "dev":
        dev(args.roles)
    elif args.command == "db":
        db_upgrade([args.role] if args.role else [], args.revision)
    elif args.command == "keys":
        keys_rotate()


if __name__ == "__main__":
    main()
