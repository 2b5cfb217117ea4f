"""Ports of the finance backend; every repository is bound to one company."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from kisum.domain.business.finance import BudgetLine, EntryKind
from kisum.domain.paging import Page, PageRequest


class BudgetLineRepository(Protocol):
    """The budget lines of one company; another company's line is simply absent."""

    async def add(self, line: BudgetLine) -> None: ...

    async def get(self, line_id: UUID, *, for_update: bool = False) -> BudgetLine | None: ...

    async def save(self, line: BudgetLine) -> None: ...

    async def delete(self, line_id: UUID) -> bool:
        """True if a line was removed."""
        ...

    async def find(
        self, page: PageRequest, *, event_id: UUID | None = None, kind: EntryKind | None = None
    ) -> Page[BudgetLine]:
        """Newest first (by date, then creation)."""
        ...

    async def for_event(self, event_id: UUID) -> list[BudgetLine]: ...


class FinanceUnitOfWork(Protocol):
    def budget_lines(self, company_id: UUID) -> BudgetLineRepository: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
