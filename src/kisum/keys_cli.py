"""``kisum keys rotate``: publish a new access-token signing key in auth's database."""

from __future__ import annotations

from datetime import UTC, datetime

from kisum.adapters.persistence.database import create_engine, create_session_factory, is_sqlite, wait_for_database
from kisum.adapters.persistence.migrations import upgrade_engine
from kisum.adapters.security.signing_keys import KeyRing, RotationResult, SigningKeyError
from kisum.config import Role, Settings


async def rotate_keys(settings: Settings, *, now: datetime | None = None) -> RotationResult:
    """Rotate against ``settings.database_url_of(Role.AUTH)``; an embedded SQLite file is upgraded first."""
    if settings.jwt_private_key_file is not None:
        # Auth signs with the pinned file; a new key in the database would never be used.
        raise SigningKeyError("the signing key is pinned by KISUM_JWT_PRIVATE_KEY_FILE: replace that file to rotate")
    url = settings.database_url_of(Role.AUTH)
    engine = create_engine(url, Role.AUTH.value, pool_size=1)
    try:
        await wait_for_database(engine)
        if is_sqlite(url):
            await upgrade_engine(engine, Role.AUTH.value)
        ring = KeyRing.from_settings(settings, create_session_factory(engine))
        return await ring.rotate(now or datetime.now(UTC))
    finally:
        await engine.dispose()


def describe_rotation(result: RotationResult) -> str:
    key = result.new_key
    lines = [
        (
            f"new signing key {key.kid} published; auth signs with it from {key.activates_at.isoformat()}"
            if result.created
            else f"a rotation is already pending: key {key.kid} signs from {key.activates_at.isoformat()}"
        ),
        "keys in JWKS:",
    ]
    for info in result.keys:
        retires = f", stops signing {info.retires_at.isoformat()}" if info.retires_at else ""
        until = f", verifies until {info.verifies_until.isoformat()}" if info.verifies_until else ""
        lines.append(
            f"  {info.kid} (generation {info.generation}): signs from {info.activates_at.isoformat()}{retires}{until}"
        )
    return "\n".join(lines)
