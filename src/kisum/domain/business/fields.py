"""Field rules: each takes (field, raw value) and returns the clean value or raises ``FieldInvalid``."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from uuid import UUID

from kisum.domain.business.errors import FieldInvalid

FieldRule = Callable[[str, object], object]

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{1,63}$")
_KEY = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$")
_URL = re.compile(r"^https?://[^\s]{1,2040}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(max_length: int, *, required: bool = False) -> FieldRule:
    """Trimmed text without control characters; empty means absent (or invalid if required)."""

    def rule(field: str, value: object) -> str | None:
        if value is None:
            if required:
                raise FieldInvalid(field, "is required")
            return None
        if not isinstance(value, str):
            raise FieldInvalid(field, "must be text")
        clean = value.strip()
        if _CONTROL.search(clean):
            raise FieldInvalid(field, "must not contain control characters")
        if not clean:
            if required:
                raise FieldInvalid(field, "must not be empty")
            return None
        if len(clean) > max_length:
            raise FieldInvalid(field, f"must be at most {max_length} characters")
        return clean

    return rule


def email(field: str, value: object) -> str | None:
    clean = text(320)(field, value)
    if clean is None:
        return None
    assert isinstance(clean, str)
    if not _EMAIL.fullmatch(clean):
        raise FieldInvalid(field, "must be an email address")
    return clean.lower()


def url(field: str, value: object) -> str | None:
    clean = text(2048)(field, value)
    if clean is not None and not _URL.fullmatch(str(clean)):
        raise FieldInvalid(field, "must be an http(s) URL")
    return None if clean is None else str(clean)


def key(field: str, value: object) -> str:
    clean = text(64, required=True)(field, value)
    lowered = str(clean).lower()
    if not _KEY.fullmatch(lowered):
        raise FieldInvalid(field, "must be 1-64 letters, digits, '.', '_' or '-', starting and ending alphanumeric")
    return lowered


def whole_number(minimum: int, maximum: int) -> FieldRule:
    def rule(field: str, value: object) -> int | None:
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise FieldInvalid(field, "must be a whole number")
        if not minimum <= value <= maximum:
            raise FieldInvalid(field, f"must be between {minimum} and {maximum}")
        return value

    return rule


def instant(field: str, value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise FieldInvalid(field, "must be a date-time with a time zone")
    return value


def day(field: str, value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, date) or isinstance(value, datetime):
        raise FieldInvalid(field, "must be a date (YYYY-MM-DD)")
    return value


def flag(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise FieldInvalid(field, "must be true or false")
    return value


def reference(field: str, value: object) -> UUID | None:
    if value is None:
        return None
    if not isinstance(value, UUID):
        raise FieldInvalid(field, "must be an id")
    return value


def references(maximum: int) -> FieldRule:
    def rule(field: str, value: object) -> tuple[UUID, ...]:
        if value is None:
            return ()
        if not isinstance(value, list | tuple) or not all(isinstance(item, UUID) for item in value):
            raise FieldInvalid(field, "must be a list of ids")
        unique = tuple(dict.fromkeys(value))
        if len(unique) > maximum:
            raise FieldInvalid(field, f"must hold at most {maximum} ids")
        return unique

    return rule


def upper_code(length: int) -> FieldRule:
    """ISO-style codes (currency ``EUR``, country ``FR``)."""

    def rule(field: str, value: object) -> str | None:
        clean = text(length)(field, value)
        if clean is None:
            return None
        code = str(clean).upper()
        if len(code) != length or not code.isalpha() or not code.isascii():
            raise FieldInvalid(field, f"must be {length} letters")
        return code

    return rule
