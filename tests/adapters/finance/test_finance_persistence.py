"""Finance persistence on the real PostgreSQL: tenant scoping, paging, constraints, migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy.exc import IntegrityError

from kisum.adapters.persistence.database import create_session_factory
from kisum.adapters.persistence.finance.uow import SqlFinanceUnitOfWork
from kisum.domain.business.finance import BudgetLine, EntryKind, Money
from kisum.domain.paging import PageRequest
from tests.adapters.module_migrations import assert_round_trip, assert_sqlite_round_trip
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def line(company: UUID, event: UUID, kind: str = "expense", amount: int = 100, on: date | None = None) -> BudgetLine:
    return BudgetLine.create(
        id=uuid4(),
        company_id=company,
        event_id=event,
        kind=kind,
        category="Stage",
        description="Hire",
        amount=amount,
        currency="EUR",
        on=on,
        now=NOW,
    )


@pytest.fixture
async def uow(engine_for: EngineForRole) -> SqlFinanceUnitOfWork:
    return SqlFinanceUnitOfWork(create_session_factory(await engine_for("finance")))


async def test_a_line_round_trips_and_is_invisible_to_other_companies(uow: SqlFinanceUnitOfWork) -> None:
    company, other, event = uuid4(), uuid4(), uuid4()
    stored = line(company, event, on=date(2025, 6, 1))
    async with uow:
        await uow.budget_lines(company).add(stored)
        await uow.commit()
    async with uow:
        assert await uow.budget_lines(company).get(stored.id) == stored
        assert await uow.budget_lines(other).get(stored.id) is None
        assert await uow.budget_lines(other).delete(stored.id) is False
        assert await uow.budget_lines(other).for_event(event) == []
        assert (await uow.budget_lines(other).find(PageRequest())).total == 0


async def test_uncommitted_work_is_discarded(uow: SqlFinanceUnitOfWork) -> None:
    company = uuid4()
    async with uow:
        await uow.budget_lines(company).add(line(company, uuid4()))
    async with uow:
        assert (await uow.budget_lines(company).find(PageRequest())).total == 0


async def test_save_and_delete_change_only_the_companys_row(uow: SqlFinanceUnitOfWork) -> None:
    company = uuid4()
    stored = line(company, uuid4())
    async with uow:
        await uow.budget_lines(company).add(stored)
        await uow.commit()
    async with uow:
        loaded = await uow.budget_lines(company).get(stored.id, for_update=True)
        assert loaded is not None
        loaded.revise(now=NOW, amount=999, kind="income")
        await uow.budget_lines(company).save(loaded)
        await uow.commit()
    async with uow:
        again = await uow.budget_lines(company).get(stored.id)
        assert again is not None
        assert (again.money, again.kind) == (Money(999, "EUR"), EntryKind.INCOME)
        assert await uow.budget_lines(company).delete(stored.id) is True
        await uow.commit()


async def test_find_pages_filters_and_orders_by_date_newest_first(uow: SqlFinanceUnitOfWork) -> None:
    company, event = uuid4(), uuid4()
    async with uow:
        lines = uow.budget_lines(company)
        for day in (1, 3, 2):
            await lines.add(line(company, event, on=date(2025, 6, day)))
        await lines.add(line(company, uuid4(), kind="income"))
        await uow.commit()
    async with uow:
        page = await uow.budget_lines(company).find(PageRequest(1, 2), event_id=event)
        assert page.total == 3
        assert [item.on for item in page.items] == [date(2025, 6, 3), date(2025, 6, 2)]
        incomes = await uow.budget_lines(company).find(PageRequest(), kind=EntryKind.INCOME)
        assert incomes.total == 1


async def test_a_line_of_another_company_is_refused_by_the_repository(uow: SqlFinanceUnitOfWork) -> None:
    async with uow:
        with pytest.raises(ValueError, match="another company"):
            await uow.budget_lines(uuid4()).add(line(uuid4(), uuid4()))


async def test_the_database_refuses_a_negative_amount(uow: SqlFinanceUnitOfWork) -> None:
    company = uuid4()
    bad = line(company, uuid4())
    bad.money = Money(-1, "EUR")
    async with uow:
        with pytest.raises(IntegrityError):
            await uow.budget_lines(company).add(bad)


async def test_migrations_go_down_and_up_on_postgres(engine_for: EngineForRole) -> None:
    await assert_round_trip(await engine_for("finance"), "finance", {"budget_lines"})


async def test_migrations_go_down_and_up_on_sqlite(tmp_path: Path) -> None:
    await assert_sqlite_round_trip(tmp_path, "finance", {"budget_lines"})
