"""Finance repositories: every statement is filtered by the company the repository was built for."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from kisum.adapters.persistence.finance.tables import BudgetLineRow
from kisum.adapters.persistence.tenant import TenantRepository
from kisum.domain.business.finance import BudgetLine, EntryKind, Money
from kisum.domain.paging import Page, PageRequest


def _to_domain(row: BudgetLineRow) -> BudgetLine:
    return BudgetLine(
        id=row.id,
        company_id=row.company_id,
        event_id=row.event_id,
        kind=EntryKind(row.kind),
        category=row.category,
        description=row.description,
        money=Money(row.amount_minor, row.currency),
        on=row.entry_date,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _to_row(line: BudgetLine, row: BudgetLineRow | None = None) -> BudgetLineRow:
    row = row or BudgetLineRow(id=line.id, company_id=line.company_id)
    row.event_id = line.event_id
    row.kind = line.kind.value
    row.category = line.category
    row.description = line.description
    row.amount_minor = line.money.amount_minor
    row.currency = line.money.currency
    row.entry_date = line.on
    row.created_at = line.created_at
    row.updated_at = line.updated_at
    return row


class SqlBudgetLineRepository(TenantRepository[BudgetLineRow]):
    row_type = BudgetLineRow
    noun = "budget line"

    async def add(self, line: BudgetLine) -> None:
        self.session.add(self._own(_to_row(line)))
        await self.session.flush()

    async def get(self, line_id: UUID, *, for_update: bool = False) -> BudgetLine | None:
        row = await self._find(line_id, for_update=for_update)
        return None if row is None else _to_domain(row)

    async def save(self, line: BudgetLine) -> None:
        row = await self._find(line.id)
        if row is None:
            raise LookupError(f"budget line {line.id} is not stored for this company")
        _to_row(line, row)
        await self.session.flush()

    async def delete(self, line_id: UUID) -> bool:
        return await self._delete(line_id)

    async def find(
        self, page: PageRequest, *, event_id: UUID | None = None, kind: EntryKind | None = None
    ) -> Page[BudgetLine]:
        conditions: list[Any] = []
        if event_id is not None:
            conditions.append(BudgetLineRow.event_id == event_id)
        if kind is not None:
            conditions.append(BudgetLineRow.kind == kind.value)
        rows, total = await self._page(
            self._scoped().where(*conditions),
            offset=page.offset,
            limit=page.limit,
            order_by=(
                BudgetLineRow.entry_date.desc().nulls_last(),
                BudgetLineRow.created_at.desc(),
                BudgetLineRow.id,
            ),
        )
        return Page([_to_domain(row) for row in rows], page.page, page.limit, total)

    async def for_event(self, event_id: UUID) -> list[BudgetLine]:
        rows = await self.session.scalars(
            self._scoped()
            .where(BudgetLineRow.event_id == event_id)
            .order_by(BudgetLineRow.created_at, BudgetLineRow.id)
        )
        return [_to_domain(row) for row in rows]
