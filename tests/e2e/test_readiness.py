"""`/health/ready` of a real role follows its database: 200 while it answers, 503 once it is gone."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import AsyncTestClient

from kisum.adapters.persistence.migrations import upgrade
from kisum.config import Settings
from kisum.ioc.core import create_app
from tests.support.postgres import create_database, drop_database


async def test_core_is_not_ready_once_its_database_is_gone(tmp_path: Path) -> None:
    url = await create_database()
    dropped = False
    try:
        await upgrade("core", url)
        async with AsyncTestClient(app=create_app(Settings(database_url=url, data_dir=tmp_path))) as client:
            assert (await client.get("/health/ready")).status_code == 200
            await drop_database(url)
            dropped = True
            response = await client.get("/health/ready")
            assert response.status_code == 503
            assert response.json()["code"] == "NOT_READY"
            assert "database" in response.json()["detail"]
            assert (await client.get("/health/live")).status_code == 200
    finally:
        if not dropped:
            await drop_database(url)
