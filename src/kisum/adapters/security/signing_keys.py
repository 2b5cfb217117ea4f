"""The ring of RSA keys that sign user access tokens: shared by every auth replica, rotated safely.

Where keys live: auth's database (``signing_keys``), so every replica signs with the same key and
publishes the same JWKS. Private keys are PKCS#8 PEM, encrypted with
``KISUM_SIGNING_KEY_PASSPHRASE`` when it is set. ``KISUM_JWT_PRIVATE_KEY_FILE`` pins one key
from a file instead (no database, no rotation: replace the file and restart).

Life of a key (``kisum keys rotate``)::

    created ──(published in JWKS at once)──▶ activates_at ──(signs)──▶ retires_at ──▶ retires_at + ttl + leeway
             verifiers fetch it                           new key signs     tokens it signed still verify   pruned

- The new key activates ``jwks_cache_seconds + reload_interval`` after it is created: every
  replica has reloaded the ring (and so serves the key in its JWKS) and every verifier has
  refreshed its cached JWKS before the first token signed with it exists.
- The old key stops signing at the new key's ``activates_at`` and stays in JWKS until every token
  it signed has expired (``access_token_ttl_seconds`` plus the verifiers' leeway), then is pruned.
- First start: when there is no key, each process generates one and inserts it as generation 1;
  the unique ``generation`` lets exactly one insert win, the others see SQLSTATE 23505, drop
  their key and re-read. Rotation races the same way on ``max(generation) + 1``.

Reads are synchronous and cheap: the ring is held in memory; ``start`` loads it and a background
task reloads it every ``reload_interval`` seconds (one small SELECT; PEM decryption happens once
per key per process). If the database is unreachable at a reload the ring keeps the keys it has.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.persistence.auth.signing_keys import SqlSigningKeyStore, StoredSigningKey
from kisum.adapters.security.access_tokens import (
    LEEWAY_SECONDS,
    MIN_RSA_BITS,
    SUPPORTED_ALGORITHMS,
    SigningKey,
    public_jwk,
)
from kisum.config import Settings

logger = logging.getLogger("kisum.auth.keys")

DEFAULT_KEY_BITS = 2048  # see Settings.signing_key_bits
_ENCRYPTED_PEM_HEADER = b"-----BEGIN ENCRYPTED PRIVATE KEY-----"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SigningKeyError(RuntimeError):
    """The ring cannot produce a usable key (unreadable PEM, wrong passphrase, pinned key rotated)."""


class SigningKeyStore(Protocol):
    async def load_all(self) -> list[StoredSigningKey]: ...

    async def insert(self, key: StoredSigningKey, *, retire_before: datetime | None = None) -> bool: ...

    async def delete(self, kids: list[str]) -> None: ...


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """Public facts about one key of the ring (what ``kisum keys rotate`` prints)."""

    kid: str
    generation: int
    created_at: datetime
    activates_at: datetime
    retires_at: datetime | None
    verifies_until: datetime | None


@dataclass(frozen=True, slots=True)
class RotationResult:
    new_key: KeyInfo
    created: bool  # False: a rotation was already pending, and that pending key is returned
    keys: tuple[KeyInfo, ...]


@dataclass(frozen=True, slots=True)
class _Entry:
    stored: StoredSigningKey
    key: SigningKey


# --- key material -----------------------------------------------------------------------------


def jwk_thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """RFC 7638 thumbprint (SHA-256, base64url): a stable ``kid`` derived from the key itself."""
    jwk = public_jwk("", public_key, "PS256")
    canonical = json.dumps({"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def generate_private_key(bits: int = DEFAULT_KEY_BITS) -> rsa.RSAPrivateKey:
    if bits < MIN_RSA_BITS:
        raise ValueError(f"signing keys need at least {MIN_RSA_BITS} bits")
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def private_key_to_pem(private_key: rsa.RSAPrivateKey, passphrase: str | None) -> str:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    return private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption).decode(
        "ascii"
    )


def private_key_from_pem(pem: str | bytes, passphrase: str | None) -> rsa.RSAPrivateKey:
    """Load an RSA private key; an encrypted PEM needs the passphrase, a plain one is read as is."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    encrypted = _ENCRYPTED_PEM_HEADER in data or b"Proc-Type: 4,ENCRYPTED" in data
    if encrypted and not passphrase:
        raise SigningKeyError("a signing key is encrypted: set KISUM_SIGNING_KEY_PASSPHRASE")
    try:
        key = serialization.load_pem_private_key(
            data, password=passphrase.encode("utf-8") if encrypted and passphrase else None
        )
    except (ValueError, TypeError) as error:
        raise SigningKeyError("cannot read a signing key (wrong KISUM_SIGNING_KEY_PASSPHRASE?)") from error
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningKeyError("signing keys must be RSA keys")
    if key.key_size < MIN_RSA_BITS:
        raise SigningKeyError(f"signing keys need at least {MIN_RSA_BITS} bits")
    return key


def load_pinned_key(path: Path, passphrase: str | None) -> SigningKey:
    """The key of ``KISUM_JWT_PRIVATE_KEY_FILE``; its ``kid`` is its RFC 7638 thumbprint."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SigningKeyError(f"KISUM_JWT_PRIVATE_KEY_FILE: cannot read {path}: {error.strerror}") from None
    private_key = private_key_from_pem(data, passphrase)
    return SigningKey(kid=jwk_thumbprint(private_key.public_key()), private_key=private_key)


# --- the ring ---------------------------------------------------------------------------------


class KeyRing:
    """Signing and verification keys of auth, loaded from the database (or one pinned key)."""

    def __init__(
        self,
        store: SigningKeyStore | None,
        *,
        algorithm: str = "PS256",
        access_token_ttl_seconds: int = 900,
        jwks_cache_seconds: int = 300,
        key_bits: int = DEFAULT_KEY_BITS,
        passphrase: str | None = None,
        reload_interval_seconds: float | None = None,
        pinned: SigningKey | None = None,
    ) -> None:
        if algorithm not in SUPPORTED_ALGORITHMS:
            raise ValueError(f"unsupported access-token algorithm {algorithm}")
        if store is None and pinned is None:
            raise ValueError("a key ring needs a store or a pinned key")
        if key_bits < MIN_RSA_BITS:
            raise ValueError(f"signing keys need at least {MIN_RSA_BITS} bits")
        self.algorithm = algorithm
        self._store = store
        self._pinned = pinned
        self._passphrase = passphrase or None
        self._key_bits = key_bits
        self._token_lifetime = timedelta(seconds=access_token_ttl_seconds + LEEWAY_SECONDS)
        # Reload well inside the JWKS cache time, so a retirement written by `rotate` on another
        # replica is seen before the old key's signing period ends.
        self.reload_interval = (
            reload_interval_seconds
            if reload_interval_seconds is not None
            else float(min(60, max(1, jwks_cache_seconds // 4)))
        )
        self._publish_delay = timedelta(seconds=jwks_cache_seconds + self.reload_interval)
        self._entries: list[_Entry] = []
        self._decoded: dict[str, SigningKey] = {}
        self._public: dict[str, rsa.RSAPublicKey] = {} if pinned is None else {pinned.kid: pinned.public_key}
        self.generation = 0
        """Bumped whenever the set of keys changes (a reload that adds, retires out or removes one)."""
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, session_factory: async_sessionmaker[AsyncSession] | None) -> KeyRing:
        """The pinned key of ``KISUM_JWT_PRIVATE_KEY_FILE`` if set, else auth's database ring."""
        common: dict[str, Any] = {
            "algorithm": settings.jwt_algorithm,
            "access_token_ttl_seconds": settings.access_token_ttl_seconds,
            "jwks_cache_seconds": settings.jwks_cache_seconds,
            "key_bits": settings.signing_key_bits,
            "passphrase": settings.signing_key_passphrase,
        }
        if settings.jwt_private_key_file is not None:
            pinned = load_pinned_key(settings.jwt_private_key_file, settings.signing_key_passphrase)
            return cls(None, pinned=pinned, **common)
        if session_factory is None:
            raise ValueError("a database key ring needs auth's session factory")
        return cls(SqlSigningKeyStore(session_factory), **common)

    @property
    def pinned(self) -> bool:
        return self._pinned is not None

    # --- reads (synchronous: served from memory, refreshed by the background task) ---

    def signing_key(self, now: datetime) -> SigningKey:
        """The key that signs at ``now``: the newest one whose signing period has begun."""
        if self._pinned is not None:
            return self._pinned
        for entry in reversed(self._entries):
            if entry.stored.activates_at <= now and (entry.stored.retires_at is None or now < entry.stored.retires_at):
                return entry.key
        # Only reached when clocks disagree (this one is behind the replica that wrote the keys):
        # sign with a key that is published anyway rather than fail logins.
        started = [e for e in self._entries if e.stored.activates_at <= now]
        if started:
            return started[-1].key
        if self._entries:
            return self._entries[0].key
        raise SigningKeyError("there is no signing key: start the key ring first")

    def verification_keys(self, now: datetime) -> dict[str, rsa.RSAPublicKey]:
        """Every key that can verify a live token at ``now``: pending, signing, and recently retired."""
        if self._pinned is not None:
            return {self._pinned.kid: self._pinned.public_key}
        return {entry.key.kid: entry.key.public_key for entry in self._entries if not self._expired(entry.stored, now)}

    def verification_key(self, kid: str, now: datetime) -> rsa.RSAPublicKey | None:
        """The key named ``kid`` if it can verify a live token at ``now`` (one of ``verification_keys``)."""
        key = self._public.get(kid)
        if key is None or self._pinned is not None:
            return key
        entry = next(entry for entry in self._entries if entry.key.kid == kid)
        return None if self._expired(entry.stored, now) else key

    def jwks_document(self, now: datetime) -> dict[str, list[dict[str, str]]]:
        """``{"keys": [...]}`` with the public members only (``kty n e kid alg use``)."""
        keys = self.verification_keys(now)
        return {"keys": [public_jwk(kid, public_key, self.algorithm) for kid, public_key in keys.items()]}

    def describe(self, now: datetime) -> tuple[KeyInfo, ...]:
        if self._pinned is not None:
            return ()
        return tuple(self._info(entry.stored) for entry in self._entries if not self._expired(entry.stored, now))

    # --- life cycle ---

    async def start(self, clock: Callable[[], datetime] = _utc_now) -> None:
        """Load (creating the first key if there is none), then reload every ``reload_interval``."""
        await self.ensure_key(clock())
        if self._pinned is None and self._task is None:
            self._task = asyncio.create_task(self._reload_forever(clock), name="kisum-key-ring-reload")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _reload_forever(self, clock: Callable[[], datetime]) -> None:
        while True:
            await asyncio.sleep(self.reload_interval)
            try:
                await self.reload(clock())
            except Exception:
                # Keep signing and verifying with what we have; the next round tries again.
                logger.warning("could not reload the signing keys; keeping the loaded ones", exc_info=True)

    # --- writes ---

    async def ensure_key(self, now: datetime) -> None:
        """Load the ring; on first start create the one first key (a race with other replicas is fine)."""
        if self._pinned is not None:
            return
        await self.reload(now)
        while not self._entries:
            private_key = await asyncio.to_thread(generate_private_key, self._key_bits)
            stored = self._new_stored(private_key, generation=1, now=now, activates_at=now)
            won = await self._require_store().insert(stored)
            if won:
                logger.info("generated the first access-token signing key", extra={"kid": stored.kid})
            await self.reload(now)

    async def rotate(self, now: datetime) -> RotationResult:
        """Publish a new key now; it signs after the publish delay; the old one is kept, then pruned.

        If a rotation is already pending (a key published but not yet signing) no new key is made:
        rotating again would only shorten the time verifiers have to fetch the pending key.
        """
        if self._pinned is not None:
            raise SigningKeyError("the signing key is pinned by KISUM_JWT_PRIVATE_KEY_FILE: replace the file instead")
        await self.ensure_key(now)
        while True:
            pending = [e for e in self._entries if e.stored.activates_at > now]
            if pending:
                return RotationResult(new_key=self._info(pending[-1].stored), created=False, keys=self.describe(now))
            generation = max(entry.stored.generation for entry in self._entries) + 1
            private_key = await asyncio.to_thread(generate_private_key, self._key_bits)
            activates_at = now + self._publish_delay
            stored = self._new_stored(private_key, generation=generation, now=now, activates_at=activates_at)
            won = await self._require_store().insert(stored, retire_before=activates_at)
            await self.reload(now)
            if won:
                logger.info(
                    "published a new access-token signing key",
                    extra={"kid": stored.kid, "activatesAt": activates_at.isoformat()},
                )
                return RotationResult(new_key=self._info(stored), created=True, keys=self.describe(now))

    async def reload(self, now: datetime) -> None:
        """Read the ring from the database now, and prune keys that can no longer verify anything."""
        if self._pinned is not None:
            return
        async with self._lock:
            await self._load(now)

    # --- internals ---

    def _require_store(self) -> SigningKeyStore:
        if self._store is None:
            raise SigningKeyError("this key ring has no database store")
        return self._store

    def _new_stored(
        self, private_key: rsa.RSAPrivateKey, *, generation: int, now: datetime, activates_at: datetime
    ) -> StoredSigningKey:
        return StoredSigningKey(
            kid=jwk_thumbprint(private_key.public_key()),
            generation=generation,
            private_key_pem=private_key_to_pem(private_key, self._passphrase),
            created_at=now,
            activates_at=activates_at,
            retires_at=None,
        )

    def _expired(self, stored: StoredSigningKey, now: datetime) -> bool:
        return stored.retires_at is not None and stored.retires_at + self._token_lifetime <= now

    def _info(self, stored: StoredSigningKey) -> KeyInfo:
        return KeyInfo(
            kid=stored.kid,
            generation=stored.generation,
            created_at=stored.created_at,
            activates_at=stored.activates_at,
            retires_at=stored.retires_at,
            verifies_until=stored.retires_at + self._token_lifetime if stored.retires_at else None,
        )

    async def _load(self, now: datetime) -> None:
        stored_keys = await self._require_store().load_all()
        entries: list[_Entry] = []
        expired: list[str] = []
        for stored in stored_keys:
            if self._expired(stored, now):
                expired.append(stored.kid)
                continue
            key = self._decoded.get(stored.kid)
            if key is None:
                private_key = await asyncio.to_thread(private_key_from_pem, stored.private_key_pem, self._passphrase)
                key = SigningKey(kid=stored.kid, private_key=private_key)
            entries.append(_Entry(stored=stored, key=key))
        if expired:
            await self._require_store().delete(expired)
            logger.info("pruned expired access-token signing keys", extra={"kids": expired})
        self._entries = sorted(entries, key=lambda entry: entry.stored.generation)
        self._decoded = {entry.key.kid: entry.key for entry in self._entries}
        if self._decoded.keys() != self._public.keys():
            self._public = {kid: key.public_key for kid, key in self._decoded.items()}
            self.generation += 1


class KeyRingKeySource:
    """Auth's own key source for ``identity.TokenAuthenticator``: the ring's verification keys, no I/O."""

    def __init__(self, ring: KeyRing, now: Callable[[], datetime]) -> None:
        self._ring = ring
        self._now = now

    @property
    def generation(self) -> int:
        return self._ring.generation

    async def key_for(self, kid: str) -> rsa.RSAPublicKey | None:
        return self._ring.verification_key(kid, self._now())


__all__ = [
    "DEFAULT_KEY_BITS",
    "KeyInfo",
    "KeyRing",
    "KeyRingKeySource",
    "RotationResult",
    "SigningKeyError",
    "SigningKeyStore",
    "generate_private_key",
    "jwk_thumbprint",
    "load_pinned_key",
    "private_key_from_pem",
    "private_key_to_pem",
]
