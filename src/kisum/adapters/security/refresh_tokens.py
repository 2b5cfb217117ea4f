"""Refresh tokens: opaque, 256 bits from ``secrets``, stored only as a SHA-256 digest.

Why SHA-256 and not argon2: argon2 (slow, salted) protects *low-entropy* secrets such as
passwords against guessing after a database leak. A refresh token is 256 random bits: nobody can
guess it, fast hashing or not, so a slow hash would add nothing but CPU per refresh. And the
digest must be deterministic (unsalted) to find the session by its token with one indexed
lookup; a salted hash would force scanning. A leaked table therefore yields no usable token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

from kisum.application.auth.ports import NewRefreshToken

TOKEN_BYTES: Final = 32  # 256 bits
# token_urlsafe(32) is 43 characters; anything much longer is not one of ours.
MAX_TOKEN_CHARS: Final = 256


class Sha256RefreshTokenFactory:
    """Implements ``kisum.application.auth.ports.RefreshTokenFactory``."""

    def new(self) -> NewRefreshToken:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        return NewRefreshToken(token=token, token_hash=self.hash(token))

    def hash(self, token: str) -> str:
        # "surrogatepass": a lone surrogate from JSON ("\\ud800") must hash, not raise a 500.
        # Over-long input is cut before hashing; it can never match a stored hash anyway.
        data = token[:MAX_TOKEN_CHARS].encode("utf-8", "surrogatepass")
        if len(token) > MAX_TOKEN_CHARS:
            data += b"\x00overlong"
        return hashlib.sha256(data).hexdigest()

    def matches(self, token: str, token_hash: str) -> bool:
        """Constant-time comparison of a presented token with a stored digest."""
        return hmac.compare_digest(self.hash(token), token_hash)
