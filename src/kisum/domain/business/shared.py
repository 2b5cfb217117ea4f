"""Values shared by the module backends' rules (finance, market, touring, venue, ai).

``KEEP`` marks a field that a partial update leaves alone (``None`` may be a real value, e.g.
clearing an optional date). Rules raise ``FieldInvalid`` (``kisum.domain.errors``) naming the
camelCase field the client sent, so a 400 always says which field was wrong.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import Enum, StrEnum
from typing import Final, TypeVar

from kisum.domain.errors import FieldInvalid

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)

MAX_AMOUNT_MINOR: Final = 10**15
"""Upper bound of any amount in minor units (fits a 64-bit integer with room for sums)."""

_CURRENCY = re.compile(r"[A-Z]{3}")


class Keep(Enum):
    """The single value ``KEEP``: "this field is not part of the change"."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP


def required_text(value: str, field: str, *, max_length: int) -> str:
    """Trimmed, non-empty, at most ``max_length`` characters."""
    cleaned = value.strip()
    if not cleaned:
        raise FieldInvalid(field, "must not be empty")
    if len(cleaned) > max_length:
        raise FieldInvalid(field, f"must be at most {max_length} characters")
    return cleaned


def optional_text(value: str | None, field: str, *, max_length: int) -> str | None:
    """Trimmed; blank becomes ``None``."""
    if value is None or not value.strip():
        return None
    return required_text(value, field, max_length=max_length)


def parse_enum(kind: type[E], value: str, field: str) -> E:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise FieldInvalid(field, f"unknown value {value!r}; use one of {allowed}") from None


def utc(value: datetime, field: str) -> datetime:
    """A timezone-aware instant, normalised to UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise FieldInvalid(field, "must carry a timezone offset")
    return value.astimezone(UTC)


def currency_code(value: str, field: str = "currency") -> str:
    """An ISO 4217 alphabetic code: three letters, stored upper case."""
    code = value.strip().upper()
    if not _CURRENCY.fullmatch(code):
        raise FieldInvalid(field, "must be a three-letter ISO 4217 code such as EUR")
    return code


def amount_minor(value: int, field: str) -> int:
    """A non-negative whole number of minor units (cents), below ``MAX_AMOUNT_MINOR``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldInvalid(field, "must be a whole number of minor units")
    if value < 0:
        raise FieldInvalid(field, "must not be negative")
    if value > MAX_AMOUNT_MINOR:
        raise FieldInvalid(field, f"must be at most {MAX_AMOUNT_MINOR}")
    return value


def changed(current: T, change: T | Keep) -> T:
    """The new value of a field in a partial update."""
    return current if isinstance(change, Keep) else change
