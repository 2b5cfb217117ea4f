"""The list contract of every role: ``page`` from 1, ``limit`` 1..100, items with their total."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

from kisum.domain.errors import FieldInvalid, FieldIssue

T = TypeVar("T")

MAX_PAGE_LIMIT: Final = 100
DEFAULT_PAGE_LIMIT: Final = 20


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which slice of a list; a bad ``page`` or ``limit`` is a 400 naming each bad one."""

    page: int = 1
    limit: int = DEFAULT_PAGE_LIMIT

    def __post_init__(self) -> None:
        issues: list[FieldIssue] = []
        if self.page < 1:
            issues.append(FieldIssue("page", "must be 1 or more"))
        if not 1 <= self.limit <= MAX_PAGE_LIMIT:
            issues.append(FieldIssue("limit", f"must be between 1 and {MAX_PAGE_LIMIT}"))
        if issues:
            raise FieldInvalid.of(issues)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    page: int
    limit: int
    total: int
