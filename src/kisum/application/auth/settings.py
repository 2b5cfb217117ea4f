"""Knobs of the auth use cases; the adapter layer builds this from ``kisum.config``."""

from __future__ import annotations

from dataclasses import dataclass, field

from kisum.domain.auth.passwords import PasswordPolicy
from kisum.domain.auth.sessions import SessionPolicy


@dataclass(frozen=True, slots=True)
class AuthSettings:
    session_policy: SessionPolicy = field(default_factory=SessionPolicy)
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    entitlements_cache_ttl_seconds: int = 30
    access_cache_ttl_seconds: int = 30

    def __post_init__(self) -> None:
        if self.entitlements_cache_ttl_seconds < 0 or self.access_cache_ttl_seconds < 0:
            raise ValueError("cache TTLs must not be negative (0 disables the cache)")
