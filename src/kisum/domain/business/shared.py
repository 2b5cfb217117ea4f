"""Values shared by the module backends' rules (finance, market, touring, venue, ai).

``KEEP`` marks a field that a partial update leaves alone (``None`` may be a real value, e.g.
clearing an optional date). ``InvalidField`` names the camelCase field the client sent, so a
400 always says which field was wrong. ``PageRequest``/``Page`` are the list contract
(``page`` from 1, ``limit`` 1..100).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum, StrEnum
from typing import Final, Generic, TypeVar

from kisum.domain.errors import InvalidInput

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)

MAX_PAGE_LIMIT: Final = 100
DEFAULT_PAGE_LIMIT: Final = 20
MAX_AMOUNT_MINOR: Final = 10**15
"""Upper bound of any amount in minor units (fits a 64-bit integer with room for sums)."""

_CURRENCY = re.compile(r"[A-Z]{3}")


class Keep(Enum):
    """The single value ``KEEP``: "this field is not part of the change"."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP


class InvalidField(InvalidInput):
    """A value breaks a rule; ``field`` is the camelCase name the client used (HTTP 400)."""

    code = "VALIDATION_ERROR"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field


def required_text(value: str, field: str, *, max_length: int) -> str:
    """Trimmed, non-empty, at most ``max_length`` characters."""
    cleaned = value.strip()
    if not cleaned:
        raise InvalidField(field, "must not be empty")
    if len(cleaned) > max_length:
        raise InvalidField(field, f"must be at most {max_length} characters")
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
        raise InvalidField(field, f"unknown value {value!r}; use one of {allowed}") from None


def utc(value: datetime, field: str) -> datetime:
    """A timezone-aware instant, normalised to UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidField(field, "must carry a timezone offset")
    return value.astimezone(UTC)


def currency_code(value: str, field: str = "currency") -> str:
    """An ISO 4217 alphabetic code: three letters, stored upper case."""
    code = value.strip().upper()
    if not _CURRENCY.fullmatch(code):
        raise InvalidField(field, "must be a three-letter ISO 4217 code such as EUR")
    return code


def amount_minor(value: int, field: str) -> int:
    """A non-negative whole number of minor units (cents), below ``MAX_AMOUNT_MINOR``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidField(field, "must be a whole number of minor units")
    if value < 0:
        raise InvalidField(field, "must not be negative")
    if value > MAX_AMOUNT_MINOR:
        raise InvalidField(field, f"must be at most {MAX_AMOUNT_MINOR}")
    return value


def changed(current: T, change: T | Keep) -> T:
    """The new value of a field in a partial update."""
    return current if isinstance(change, Keep) else change


@dataclass(frozen=True, slots=True)
class PageRequest:
    page: int = 1
    limit: int = DEFAULT_PAGE_LIMIT

    def __post_init__(self) -> None:
        if self.page < 1:
            raise InvalidField("page", "must be 1 or more")
        if not 1 <= self.limit <= MAX_PAGE_LIMIT:
            raise InvalidField("limit", f"must be between 1 and {MAX_PAGE_LIMIT}")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    page: int
    limit: int
    total: int
