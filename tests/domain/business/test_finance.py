"""Finance rules: budget lines and the settlement of an event."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.business.finance import BudgetLine, CurrencyTotals, EntryKind, Money, settle
from kisum.domain.errors import FieldInvalid

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
LATER = datetime(2025, 3, 2, 12, 0, tzinfo=UTC)
COMPANY = uuid4()
EVENT = uuid4()


def line(kind: str = "expense", amount: int = 1000, currency: str = "EUR", event: UUID = EVENT) -> BudgetLine:
    return BudgetLine.create(
        id=uuid4(),
        company_id=COMPANY,
        event_id=event,
        kind=kind,
        category="Production",
        description=None,
        amount=amount,
        currency=currency,
        on=None,
        now=NOW,
    )


def test_create_normalises_the_line() -> None:
    created = BudgetLine.create(
        id=uuid4(),
        company_id=COMPANY,
        event_id=EVENT,
        kind="income",
        category="  Tickets ",
        description="  ",
        amount=250_000,
        currency="eur",
        on=date(2025, 6, 1),
        now=NOW,
    )
    assert created.kind is EntryKind.INCOME
    assert created.category == "Tickets"
    assert created.description is None
    assert created.money == Money(250_000, "EUR")
    assert created.created_at == created.updated_at == NOW


def test_create_names_an_unknown_kind() -> None:
    with pytest.raises(FieldInvalid) as caught:
        line(kind="refund")
    assert caught.value.field == "kind"


def test_create_refuses_a_negative_amount() -> None:
    with pytest.raises(FieldInvalid) as caught:
        line(amount=-5)
    assert caught.value.field == "amount"


def test_revise_changes_only_the_given_fields() -> None:
    budget_line = line()
    budget_line.revise(now=LATER, amount=2500, on=date(2025, 7, 1))
    assert budget_line.money == Money(2500, "EUR")
    assert budget_line.on == date(2025, 7, 1)
    assert budget_line.category == "Production"
    assert budget_line.updated_at == LATER


def test_revise_can_clear_the_date_and_description() -> None:
    budget_line = line()
    budget_line.revise(now=LATER, description="Stage", on=date(2025, 7, 1))
    budget_line.revise(now=LATER, description=None, on=None)
    assert budget_line.description is None
    assert budget_line.on is None


def test_revise_changes_nothing_when_one_field_is_invalid() -> None:
    budget_line = line()
    with pytest.raises(FieldInvalid):
        budget_line.revise(now=LATER, category="Catering", currency="EURO")
    assert budget_line.category == "Production"
    assert budget_line.money.currency == "EUR"
    assert budget_line.updated_at == NOW


def test_settlement_sums_per_currency_sorted_and_ignores_other_events() -> None:
    lines = [
        line("income", 10_000, "EUR"),
        line("expense", 4_000, "EUR"),
        line("expense", 700, "USD"),
        line("income", 99_999, "EUR", event=uuid4()),
    ]
    settlement = settle(EVENT, lines)
    assert settlement.totals == (CurrencyTotals("EUR", 10_000, 4_000), CurrencyTotals("USD", 0, 700))
    assert [totals.net for totals in settlement.totals] == [6_000, -700]
    assert settlement.line_count == 3


def test_settlement_of_an_event_without_lines_is_empty() -> None:
    settlement = settle(EVENT, [])
    assert settlement.totals == ()
    assert settlement.line_count == 0


@given(
    st.lists(
        st.tuples(st.sampled_from(["income", "expense"]), st.integers(0, 10**9), st.sampled_from(["EUR", "USD"])),
        max_size=30,
    )
)
def test_settlement_net_is_income_minus_expenses_per_currency(entries: list[tuple[str, int, str]]) -> None:
    settlement = settle(EVENT, [line(kind, amount, currency) for kind, amount, currency in entries])
    for totals in settlement.totals:
        mine = [(kind, amount) for kind, amount, currency in entries if currency == totals.currency]
        income = sum(amount for kind, amount in mine if kind == "income")
        expenses = sum(amount for kind, amount in mine if kind == "expense")
        assert (totals.income, totals.expenses, totals.net) == (income, expenses, income - expenses)
    assert {totals.currency for totals in settlement.totals} == {currency for _, _, currency in entries}
