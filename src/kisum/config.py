"""Settings from the environment, validated once at start-up.

Every variable is ``KISUM_<NAME>``; per-role variables are ``KISUM_<ROLE>_<NAME>``. A bad value
stops start-up with one line that names the variable (``ConfigError``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec


class Role(StrEnum):
    """A deployable service. Each one is its own Litestar app and its own process."""

    AUTH = "auth"
    CORE = "core"
    ADMIN = "admin"
    BASIC = "basic"
    FINANCE = "finance"
    MARKET = "market"
    TOURING = "touring"
    VENUE = "venue"
    AI = "ai"


DEFAULT_PORTS: dict[Role, int] = {
    Role.AUTH: 3001,
    Role.CORE: 3002,
    Role.ADMIN: 3003,
    Role.BASIC: 3099,
    Role.FINANCE: 3100,
    Role.MARKET: 3101,
    Role.TOURING: 3102,
    Role.VENUE: 3103,
    Role.AI: 3104,
}

BUSINESS_ROLES: tuple[Role, ...] = (
    Role.BASIC,
    Role.FINANCE,
    Role.MARKET,
    Role.TOURING,
    Role.VENUE,
    Role.AI,
)


class ConfigError(Exception):
    """A variable is missing or malformed; the message names it."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    data_dir: Path = Path(".kisum")
    host: str = "127.0.0.1"
    database_url: str | None = None
    redis_url: str | None = None
    redis_prefix: str = "kisum"
    redis_timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=5)] = 0.25
    redis_reprobe_seconds: Annotated[float, msgspec.Meta(gt=0)] = 2.0
    local_cache_max_entries: Annotated[int, msgspec.Meta(ge=1)] = 10_000
    role_database_urls: dict[Role, str] = msgspec.field(default_factory=dict)
    role_urls: dict[Role, str] = msgspec.field(default_factory=dict)
    role_ports: dict[Role, int] = msgspec.field(default_factory=dict)

    bootstrap_admin_email: str | None = None
    bootstrap_admin_password: str | None = None

    # User access tokens (auth signs, every other role verifies).
    jwt_algorithm: Literal["PS256", "RS256"] = "PS256"
    jwt_issuer: str = "kisum-auth"
    jwt_audience: str = "kisum"
    access_token_ttl_seconds: int = 900
    session_absolute_ttl_seconds: int = 30 * 24 * 3600
    jwt_private_key_file: Path | None = None
    jwks_cache_seconds: int = 300
    # Auth's own signing keys (in auth's database unless KISUM_JWT_PRIVATE_KEY_FILE pins one).
    signing_key_passphrase: str | None = None
    # 2048 bits: RFC 7518's minimum and what the large identity providers sign with; a 3072-bit
    # signature costs about 3x as much CPU on every login and refresh. Tokens live minutes and
    # keys rotate, so a larger size is this setting plus one `kisum keys rotate`.
    signing_key_bits: Annotated[int, msgspec.Meta(ge=2048, le=8192)] = 2048

    # Passwords: argon2id, never below OWASP's minimum (m=19456 KiB, t=2, p=1).
    password_hash_memory_kib: Annotated[int, msgspec.Meta(ge=19456)] = 19456
    password_hash_time_cost: Annotated[int, msgspec.Meta(ge=2)] = 2
    password_hash_parallelism: Annotated[int, msgspec.Meta(ge=1)] = 1
    password_hash_concurrency: Annotated[int, msgspec.Meta(ge=1)] | None = None  # default: CPU count

    # Login throttling (failures only; a success resets the (account, ip) pair).
    login_pair_free_failures: Annotated[int, msgspec.Meta(ge=1)] = 5
    login_pair_base_backoff_seconds: Annotated[int, msgspec.Meta(ge=1)] = 30
    login_pair_max_backoff_seconds: Annotated[int, msgspec.Meta(ge=1)] = 900
    login_ip_max_failures: Annotated[int, msgspec.Meta(ge=1)] = 100
    login_ip_window_seconds: Annotated[int, msgspec.Meta(ge=1)] = 900
    login_account_max_failures: Annotated[int, msgspec.Meta(ge=1)] = 50
    login_account_window_seconds: Annotated[int, msgspec.Meta(ge=1)] = 900

    # Service-to-service credentials: Ed25519 PEM text or a path to a PEM file, per role.
    role_service_private_keys: dict[Role, str] = msgspec.field(default_factory=dict)
    role_service_public_keys: dict[Role, str] = msgspec.field(default_factory=dict)
    service_token_ttl_seconds: int = 30

    # HTTP behaviour shared by all roles.
    cors_origins: tuple[str, ...] = ()
    request_timeout_seconds: float = 30.0
    shutdown_timeout_seconds: float = 10.0
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    trusted_proxies: tuple[str, ...] = ()
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None
    tls_client_ca_file: Path | None = None

    # Calls to other roles.
    internal_call_timeout_seconds: float = 2.0

    # Business backends: how long a verified token and an access answer may be reused in-process.
    # access_cache_seconds must stay at or below 1 s so a revocation stops access within 1 s.
    access_cache_seconds: Annotated[float, msgspec.Meta(ge=0.0, le=1.0)] = 0.5
    access_cache_size: int = 10_000
    token_cache_size: int = 10_000
    jwks_min_refresh_seconds: float = 5.0

    # Business backends: uploaded files (stored under data_dir unless a storage adapter says otherwise).
    file_max_bytes: int = 10 * 1024 * 1024
    file_allowed_types: tuple[str, ...] = (
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "text/plain",
        "text/csv",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

    def port_of(self, role: Role) -> int:
        return self.role_ports.get(role, DEFAULT_PORTS[role])

    def url_of(self, role: Role) -> str:
        """Where a role is reached; defaults to this machine on the role's port."""
        return self.role_urls.get(role, f"http://127.0.0.1:{self.port_of(role)}").rstrip("/")

    def database_url_of(self, role: Role) -> str:
        """Per-role override, else the shared URL, else an embedded SQLite file per role."""
        if role in self.role_database_urls:
            return self.role_database_urls[role]
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / f'{role.value}.db').resolve()}"


_PREFIX = "KISUM_"
_TUPLE_FIELDS = {"cors_origins", "trusted_proxies", "file_allowed_types"}
_ROLE_FIELDS: dict[str, str] = {
    "DATABASE_URL": "role_database_urls",
    "URL": "role_urls",
    "PORT": "role_ports",
    "SERVICE_PRIVATE_KEY": "role_service_private_keys",
    "SERVICE_PUBLIC_KEY": "role_service_public_keys",
}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read ``KISUM_*`` variables; unknown ``KISUM_*`` names are ignored, bad values are not."""
    env = os.environ if environ is None else environ
    raw: dict[str, Any] = {}
    where: dict[str, str] = {}
    for name in Settings.__struct_fields__:
        if name.startswith("role_"):
            continue
        variable = _PREFIX + name.upper()
        value = env.get(variable)
        if value is None or value == "":
            continue
        where[name] = variable
        raw[name] = [part.strip() for part in value.split(",") if part.strip()] if name in _TUPLE_FIELDS else value
    for suffix, field in _ROLE_FIELDS.items():
        per_role: dict[str, str] = {}
        for role in Role:
            variable = f"{_PREFIX}{role.value.upper()}_{suffix}"
            value = env.get(variable)
            if value:
                _check_role_value(variable, value, _ROLE_FIELD_TYPES.get(field, str))
                per_role[role.value] = value
                where[f"{field}.{role.value}"] = variable
        if per_role:
            raw[field] = per_role
    try:
        return msgspec.convert(raw, Settings, strict=False, dec_hook=_decode_path)
    except msgspec.ValidationError as error:
        raise ConfigError(_name_the_variable(str(error), where)) from None


_ROLE_FIELD_TYPES: dict[str, type] = {"role_ports": int}


def _check_role_value(variable: str, value: str, kind: type) -> None:
    """Per-role values are checked one by one, so an error names the one variable that is wrong."""
    try:
        msgspec.convert(value, kind, strict=False)
    except msgspec.ValidationError as error:
        raise ConfigError(f"{variable}: {str(error).split(' - at ', 1)[0]}") from None


def _decode_path(kind: type, value: Any) -> Any:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError


def _name_the_variable(message: str, where: Mapping[str, str]) -> str:
    """msgspec says "... - at `$.role_ports[...]`"; turn that path back into the variable."""
    path = message.rsplit("at `$.", 1)[-1].rstrip("`") if "at `$." in message else ""
    field = path.split("[", 1)[0]
    candidates = [name for key, name in where.items() if key == field or key.startswith(field + ".")]
    variable = ", ".join(candidates) or "configuration"
    reason = message.split(" - at ", 1)[0]
    return f"{variable}: {reason}"
