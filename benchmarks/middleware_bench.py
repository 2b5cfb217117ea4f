"""What the app-wide layers of a role app cost: its ``/health/live`` next to a bare Litestar app.

One run serves, side by side on one machine: a bare Litestar app with one trivial route
(``benchmarks/bare_app.py``, granian as ``kisum serve`` runs it), the platform (core, auth, admin,
basic on PostgreSQL + Redis) and, with ``--baseline REF``, a second basic and a second auth built
from the source tree at ``REF`` (``git archive``), which share the platform's database, Redis and
the other roles. Each round drives every target with wrk in turn (the order rotates between
rounds); the figures are ratios to the bare app of the same round (of requests per second, and
of server CPU per request, which the load generator's share of the cores moves less), and their
spread over rounds.

    .venv/bin/python -m benchmarks.middleware_bench [--seconds 6] [--rounds 3] [--baseline REF]

Targets: ``/health/live`` of basic (the ratio the middleware decides), ``/api/dashboard/me`` of
basic (JWT + x-org + access + permission, warm caches) and ``/auth/me/access`` of auth (a cache
hit: dishka's request container, guards and one statement).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.harness import (
    _PORT_BASE,
    KISUM,
    ROOT,
    Platform,
    expect,
    print_header,
    process_tree,
    seed_tenant,
    wrk_with_cpu,
)

BARE_PORT = _PORT_BASE + 90
BASELINE_PORTS = {"basic": _PORT_BASE + 98, "auth": _PORT_BASE + 97}


@dataclass
class Server:
    """One extra server process (the bare app, or a role of the baseline tree)."""

    name: str
    command: list[str]
    env: dict[str, str]
    url: str
    process: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        self.process = subprocess.Popen(
            self.command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.name} exited with {self.process.returncode}")
                try:
                    if (await client.get(self.url + "/health/live")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        raise TimeoutError(f"{self.name} did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def export_tree(ref: str) -> Path:
    """``src/`` and ``migrations/`` of ``ref`` in a temporary directory (the worktree is untouched)."""
    target = Path(tempfile.mkdtemp(prefix="kisum-baseline-"))
    archive = subprocess.run(["git", "archive", ref, "src", "migrations"], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    pids: Sequence[int]
    headers: dict[str, str] | None = None


@dataclass
class Figures:
    rps: list[float] = field(default_factory=list)
    cpu_us: list[float] = field(default_factory=list)
    ratio: list[float] = field(default_factory=list)
    cpu_ratio: list[float] = field(default_factory=list)


def _spread(values: list[float], digits: int = 2) -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{mid:.{digits}f} ({low:.{digits}f}-{high:.{digits}f})"


async def main(seconds: int, rounds: int, baseline: str | None) -> None:
    extras: list[Server] = []
    tree: Path | None = None
    async with Platform(["core", "auth", "admin", "basic"]) as platform:
        try:
            bare = Server(
                "bare",
                [sys.executable, "-m", "benchmarks.bare_app", str(BARE_PORT)],
                dict(os.environ),
                f"http://127.0.0.1:{BARE_PORT}",
            )
            extras.append(bare)
            if baseline is not None:
                tree = export_tree(baseline)
                for role, port in BASELINE_PORTS.items():
                    env = {
                        **platform.env,
                        "PYTHONPATH": str(tree / "src"),  # ahead of the editable install of this tree
                        f"KISUM_{role.upper()}_PORT": str(port),
                    }
                    extras.append(Server(f"{role}@{baseline}", [KISUM, "serve", role], env, f"http://127.0.0.1:{port}"))
            await asyncio.gather(*(server.start() for server in extras))

            tenant, _ = await seed_tenant(platform)
            headers = {"Authorization": f"Bearer {tenant.owner_token}", "x-org": tenant.company_id}
            basics = {"basic": (platform.url("basic"), platform.pids("basic"))}
            auths = {"auth": (platform.url("auth"), platform.pids("auth"))}
            for server in extras[1:]:
                assert server.process is not None
                group = basics if server.name.startswith("basic") else auths
                group[server.name] = (server.url, process_tree(server.process.pid))
            async with httpx.AsyncClient() as client:
                for url, _ in [*basics.values()]:
                    await expect(await client.get(f"{url}/api/dashboard/me", headers=headers), 200)
                for url, _ in [*auths.values()]:
                    await expect(await client.get(f"{url}/auth/me/access", headers=headers), 200)

            assert bare.process is not None
            targets = [Target("bare Litestar /health/live", f"{bare.url}/health/live", process_tree(bare.process.pid))]
            for name, (url, pids) in basics.items():
                targets.append(Target(f"{name} /health/live", f"{url}/health/live", pids))
            for name, (url, pids) in basics.items():
                targets.append(Target(f"{name} /api/dashboard/me", f"{url}/api/dashboard/me", pids, headers))
            for name, (url, pids) in auths.items():
                targets.append(Target(f"{name} /auth/me/access", f"{url}/auth/me/access", pids, headers))

            print_header(f"app-wide layers: ratios to a bare Litestar app, {rounds} rounds of {seconds} s, 64 conn")
            figures = {target.name: Figures() for target in targets}
            for round_index in range(rounds):
                shift = round_index % len(targets)
                order = targets[shift:] + targets[:shift]  # rotate, so no target always runs first
                results = {}
                for target in order:
                    results[target.name] = wrk_with_cpu(target.pids, target.url, target.headers, seconds=seconds)
                bare_rps = results[targets[0].name][0].requests_per_second
                bare_cpu = results[targets[0].name][1]
                print(f"-- round {round_index + 1}")
                for target in targets:
                    result, cpu = results[target.name]
                    if result.non_2xx:
                        raise RuntimeError(f"{target.name}: {result.non_2xx} non-2xx answers")
                    ratio = result.requests_per_second / bare_rps
                    figures[target.name].rps.append(result.requests_per_second)
                    figures[target.name].cpu_us.append(cpu)
                    figures[target.name].ratio.append(ratio)
                    figures[target.name].cpu_ratio.append(bare_cpu / cpu)
                    print(f"{result.line(target.name)}   CPU {cpu:5.0f} us/request   ratio {ratio:.2f}")

            print_header("summary: median (min-max) over the rounds")
            for target in targets:
                values = figures[target.name]
                print(
                    f"{target.name:<38} {_spread(values.rps, 0):>22} req/s   "
                    f"CPU {_spread(values.cpu_us, 0):>16} us/request   ratio to bare {_spread(values.ratio)}, "
                    f"by CPU {_spread(values.cpu_ratio)}"
                )
            for name in basics:
                live, protected = figures[f"{name} /health/live"], figures[f"{name} /api/dashboard/me"]
                ratios = [p / b for p, b in zip(protected.rps, live.rps, strict=True)]
                by_cpu = [b / p for p, b in zip(protected.cpu_us, live.cpu_us, strict=True)]
                print(
                    f"{name}: /api/dashboard/me over its own /health/live: {_spread(ratios)}, by CPU {_spread(by_cpu)}"
                )
        finally:
            for server in extras:
                server.stop()
            if tree is not None:
                shutil.rmtree(tree, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", help="a git ref whose basic and auth run beside this tree's")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.seconds, arguments.rounds, arguments.baseline))
