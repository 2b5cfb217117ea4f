"""Finance queries: read straight from the repository; the settlement sums through the domain rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from kisum.application.business.finance.ports import FinanceUnitOfWork
from kisum.domain.business.finance import BudgetLine, BudgetLineNotFound, EntryKind, Settlement, settle
from kisum.domain.paging import Page, PageRequest


@dataclass(frozen=True, slots=True)
class GetBudgetLine:
    company_id: UUID
    line_id: UUID


@dataclass(frozen=True, slots=True)
class ListBudgetLines:
    company_id: UUID
    page: PageRequest = field(default_factory=PageRequest)
    event_id: UUID | None = None
    kind: EntryKind | None = None


@dataclass(frozen=True, slots=True)
class GetSettlement:
    company_id: UUID
    event_id: UUID


class GetBudgetLineHandler:
    def __init__(self, uow: FinanceUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: GetBudgetLine) -> BudgetLine:
        async with self._uow as uow:
            line = await uow.budget_lines(query.company_id).get(query.line_id)
        if line is None:
            raise BudgetLineNotFound(f"budget line {query.line_id} does not exist")
        return line


class ListBudgetLinesHandler:
    def __init__(self, uow: FinanceUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: ListBudgetLines) -> Page[BudgetLine]:
        async with self._uow as uow:
            return await uow.budget_lines(query.company_id).find(query.page, event_id=query.event_id, kind=query.kind)


class GetSettlementHandler:
    """An event without lines settles to no totals (an opaque event id cannot be checked here)."""

    def __init__(self, uow: FinanceUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: GetSettlement) -> Settlement:
        async with self._uow as uow:
            lines = await uow.budget_lines(query.company_id).for_event(query.event_id)
        return settle(query.event_id, lines)
