"""Password policy (DESIGN §3, after NIST SP 800-63B and OWASP ASVS).

- length 8 to 128, counted in code points (``len`` of a ``str``);
- no composition rules (no "one digit, one symbol");
- refused: the built-in list of common passwords (case-insensitive), a single repeated
  character, and the account's own email, email local part or name.

Violations raise ``WeakPassword`` (400 ``WEAK_PASSWORD``). Hashing is the adapter's job
(argon2id behind the ``PasswordHasher`` port).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kisum.domain.auth.common_passwords import COMMON_PASSWORDS
from kisum.domain.auth.errors import WeakPassword

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    min_length: int = MIN_PASSWORD_LENGTH
    max_length: int = MAX_PASSWORD_LENGTH

    def __post_init__(self) -> None:
        if not 1 <= self.min_length <= self.max_length:
            raise ValueError("need 1 <= min_length <= max_length")

    def check(self, password: str, *, context: Iterable[str] = ()) -> None:
        """Raise ``WeakPassword`` unless ``password`` is acceptable.

        ``context`` holds words tied to the account (email, name) that must not be the password.
        """
        length = len(password)
        if length < self.min_length:
            raise WeakPassword(f"The password must have at least {self.min_length} characters.")
        if length > self.max_length:
            raise WeakPassword(f"The password must have at most {self.max_length} characters.")
        folded = password.lower()
        if folded in COMMON_PASSWORDS:
            raise WeakPassword("This password is too common.")
        if len(set(password)) == 1:
            raise WeakPassword("The password must not be a single repeated character.")
        for word in context:
            word = word.strip().lower()
            if not word:
                continue
            candidates = {word}
            local, sep, _ = word.partition("@")
            if sep and local:
                candidates.add(local)
            if folded in candidates:
                raise WeakPassword("The password must not be your email address or name.")


DEFAULT_PASSWORD_POLICY = PasswordPolicy()


def check_password(password: str, *, context: Iterable[str] = ()) -> None:
    DEFAULT_PASSWORD_POLICY.check(password, context=context)
