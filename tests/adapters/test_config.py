"""Configuration comes from KISUM_* variables; a bad value names the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from kisum.config import ConfigError, Role, load_settings


def test_defaults_use_embedded_sqlite_per_role_under_the_data_dir() -> None:
    settings = load_settings({"KISUM_DATA_DIR": "/tmp/kisum-x"})
    assert settings.database_url_of(Role.CORE) == "sqlite+aiosqlite:////tmp/kisum-x/core.db"
    assert settings.port_of(Role.AUTH) == 3001
    assert settings.url_of(Role.BASIC) == "http://127.0.0.1:3099"
    assert settings.redis_url is None


def test_per_role_database_url_overrides_the_shared_one() -> None:
    settings = load_settings(
        {
            "KISUM_DATABASE_URL": "postgresql+asyncpg://db/kisum",
            "KISUM_AUTH_DATABASE_URL": "postgresql+asyncpg://authdb/kisum",
        }
    )
    assert settings.database_url_of(Role.AUTH) == "postgresql+asyncpg://authdb/kisum"
    assert settings.database_url_of(Role.CORE) == "postgresql+asyncpg://db/kisum"


def test_role_port_and_url_are_read() -> None:
    settings = load_settings({"KISUM_CORE_PORT": "4002", "KISUM_AUTH_URL": "http://auth.internal:80/"})
    assert settings.port_of(Role.CORE) == 4002
    assert settings.url_of(Role.AUTH) == "http://auth.internal:80"


def test_lists_are_comma_separated() -> None:
    settings = load_settings({"KISUM_CORS_ORIGINS": "http://a.test, http://b.test"})
    assert settings.cors_origins == ("http://a.test", "http://b.test")


def test_paths_are_paths() -> None:
    assert load_settings({"KISUM_DATA_DIR": "data"}).data_dir == Path("data")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KISUM_CORE_PORT", "not-a-port"),
        ("KISUM_REQUEST_TIMEOUT_SECONDS", "soon"),
        ("KISUM_JWT_ALGORITHM", "HS256"),
        ("KISUM_LOG_LEVEL", "LOUD"),
    ],
)
def test_bad_value_names_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({variable: value})
    assert str(raised.value).startswith(variable + ":")
