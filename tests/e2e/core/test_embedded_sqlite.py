"""Embedded mode: the core app on its own SQLite file, migrated at start, keys in the data dir."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import AsyncTestClient

from kisum.config import Role, Settings
from kisum.ioc.core import create_app
from tests.e2e.core.conftest import UNREACHABLE_AUTH, ServiceCallers


async def test_core_runs_on_sqlite_with_embedded_defaults(tmp_path: Path, callers: ServiceCallers) -> None:
    settings = Settings(
        data_dir=tmp_path,
        role_service_public_keys=callers.public_pems(),
        role_urls={Role.AUTH: UNREACHABLE_AUTH},
        internal_call_timeout_seconds=0.5,
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        client.headers.update(callers.headers(Role.ADMIN))
        assert (await client.get("/health/ready")).status_code == 200
        company_id = (await client.post("/internal/companies", json={"name": "Local"})).json()["id"]
        assert (await client.post(f"/internal/companies/{company_id}/approve")).status_code == 200
        await client.post(f"/internal/companies/{company_id}/basic", json={"action": "activate"})
        body = (
            await client.post(
                f"/internal/companies/{company_id}/addons", json={"addonKey": "market", "action": "activate"}
            )
        ).json()
        assert body["enabledModules"] == ["basic", "market"]
        assert body["entitlementVersion"] == 3
        duplicate = await client.post("/internal/catalog/modules", json={"key": "market"})
        assert duplicate.status_code == 409
        in_use = await client.delete("/internal/catalog/addons/market")
        assert in_use.status_code == 409
    assert (tmp_path / "core.db").is_file()
    assert (tmp_path / "keys" / "service" / "core.pub").is_file()
