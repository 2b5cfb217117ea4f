"""Finance handlers against in-memory ports: what is stored, what is committed, what is refused."""

from __future__ import annotations

import copy
from datetime import date
from uuid import UUID, uuid4

import pytest

from kisum.application.business.finance.commands import (
    CreateBudgetLine,
    CreateBudgetLineHandler,
    DeleteBudgetLine,
    DeleteBudgetLineHandler,
    UpdateBudgetLine,
    UpdateBudgetLineHandler,
)
from kisum.application.business.finance.queries import (
    GetBudgetLine,
    GetBudgetLineHandler,
    GetSettlement,
    GetSettlementHandler,
    ListBudgetLines,
    ListBudgetLinesHandler,
)
from kisum.domain.business.finance import BudgetLine, BudgetLineNotFound, EntryKind
from kisum.domain.errors import FieldInvalid
from kisum.domain.paging import Page, PageRequest
from tests.application.business.fakes import FakeClock, FakeIds, FakeUnitOfWork, TenantStore

COMPANY, OTHER, EVENT = uuid4(), uuid4(), uuid4()


class FakeBudgetLines(TenantStore[BudgetLine]):
    async def add(self, line: BudgetLine) -> None:
        self.put(line.id, copy.deepcopy(line))

    async def get(self, line_id: UUID, *, for_update: bool = False) -> BudgetLine | None:
        found = self.take(line_id)
        return copy.deepcopy(found)

    async def save(self, line: BudgetLine) -> None:
        assert self.take(line.id) is not None
        self.put(line.id, copy.deepcopy(line))

    async def delete(self, line_id: UUID) -> bool:
        return self.drop(line_id)

    async def find(
        self, page: PageRequest, *, event_id: UUID | None = None, kind: EntryKind | None = None
    ) -> Page[BudgetLine]:
        items = [
            line
            for line in self.mine()
            if (event_id is None or line.event_id == event_id) and (kind is None or line.kind is kind)
        ]
        return self.page(items, page, key=lambda line: line.created_at)

    async def for_event(self, event_id: UUID) -> list[BudgetLine]:
        return [line for line in self.mine() if line.event_id == event_id]


class FakeFinanceUow(FakeUnitOfWork):
    def __init__(self) -> None:
        self.lines: dict[tuple[UUID, UUID], BudgetLine] = {}
        super().__init__(self.lines)

    def budget_lines(self, company_id: UUID) -> FakeBudgetLines:
        return FakeBudgetLines(self.lines, company_id)


@pytest.fixture
def uow() -> FakeFinanceUow:
    return FakeFinanceUow()


async def create(
    uow: FakeFinanceUow, *, company: UUID = COMPANY, kind: str = "expense", amount: int = 1000, currency: str = "EUR"
) -> BudgetLine:
    return await CreateBudgetLineHandler(uow, FakeClock(), FakeIds())(
        CreateBudgetLine(company, EVENT, kind, "Production", amount, currency, on=date(2025, 6, 1))
    )


async def test_create_stores_the_line_for_the_company_and_commits_once(uow: FakeFinanceUow) -> None:
    line = await create(uow)
    assert uow.lines[(COMPANY, line.id)].money.amount_minor == 1000
    assert uow.commits == 1


async def test_create_with_invalid_currency_stores_nothing(uow: FakeFinanceUow) -> None:
    with pytest.raises(FieldInvalid, match="currency"):
        await create(uow, currency="EURO")
    assert uow.lines == {}
    assert uow.commits == 0


async def test_update_changes_given_fields_and_commits_once(uow: FakeFinanceUow) -> None:
    line = await create(uow)
    clock = FakeClock()
    clock.advance(hours=1)
    updated = await UpdateBudgetLineHandler(uow, clock)(
        UpdateBudgetLine(COMPANY, line.id, amount_minor=2500, description="Stage hire")
    )
    assert updated.money.amount_minor == 2500
    assert uow.lines[(COMPANY, line.id)].description == "Stage hire"
    assert uow.lines[(COMPANY, line.id)].updated_at == clock.current
    assert uow.commits == 2


async def test_update_of_another_companys_line_is_not_found_and_changes_nothing(uow: FakeFinanceUow) -> None:
    line = await create(uow, company=OTHER)
    with pytest.raises(BudgetLineNotFound):
        await UpdateBudgetLineHandler(uow, FakeClock())(UpdateBudgetLine(COMPANY, line.id, amount_minor=1))
    assert uow.lines[(OTHER, line.id)].money.amount_minor == 1000
    assert uow.commits == 1


async def test_invalid_update_rolls_back(uow: FakeFinanceUow) -> None:
    line = await create(uow)
    with pytest.raises(FieldInvalid):
        await UpdateBudgetLineHandler(uow, FakeClock())(UpdateBudgetLine(COMPANY, line.id, kind="refund"))
    assert uow.lines[(COMPANY, line.id)].kind is EntryKind.EXPENSE
    assert uow.commits == 1


async def test_delete_removes_the_line_and_a_second_delete_is_not_found(uow: FakeFinanceUow) -> None:
    line = await create(uow)
    await DeleteBudgetLineHandler(uow)(DeleteBudgetLine(COMPANY, line.id))
    assert uow.lines == {}
    with pytest.raises(BudgetLineNotFound):
        await DeleteBudgetLineHandler(uow)(DeleteBudgetLine(COMPANY, line.id))
    assert uow.commits == 2


async def test_get_of_another_companys_line_is_not_found(uow: FakeFinanceUow) -> None:
    line = await create(uow, company=OTHER)
    with pytest.raises(BudgetLineNotFound):
        await GetBudgetLineHandler(uow)(GetBudgetLine(COMPANY, line.id))


async def test_list_filters_by_kind_within_the_company(uow: FakeFinanceUow) -> None:
    await create(uow, kind="income")
    await create(uow, kind="expense")
    await create(uow, company=OTHER, kind="income")
    page = await ListBudgetLinesHandler(uow)(ListBudgetLines(COMPANY, kind=EntryKind.INCOME))
    assert page.total == 1
    assert page.items[0].kind is EntryKind.INCOME


async def test_settlement_counts_only_the_companys_lines(uow: FakeFinanceUow) -> None:
    await create(uow, kind="income", amount=10_000)
    await create(uow, kind="expense", amount=2_500)
    await create(uow, company=OTHER, kind="income", amount=99_999)
    settlement = await GetSettlementHandler(uow)(GetSettlement(COMPANY, EVENT))
    assert [(t.currency, t.income, t.expenses, t.net) for t in settlement.totals] == [("EUR", 10_000, 2_500, 7_500)]
    assert uow.commits == 3
