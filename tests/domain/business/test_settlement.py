"""The settlement sums lines by their standing and leaves rounding to each deal."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.business.settlement import ExpenseLine, ExpenseStanding, TicketSales, settle
from kisum.domain.money import share

EVENT = uuid.uuid4()


@dataclass(frozen=True)
class Versus:
    offer_id: UUID
    artist_id: UUID
    guarantee: int
    percentage: int
    deal_type: str = "versus"

    def payout(self, *, ticket_gross: int, net: int) -> int:
        return max(self.guarantee, share(net, self.percentage))


def test_a_settlement_counts_each_line_by_its_standing() -> None:
    deal = Versus(uuid.uuid4(), uuid.uuid4(), guarantee=50_000, percentage=7_000)
    result = settle(
        event_id=EVENT,
        currency="EUR",
        tickets=[TicketSales(2_500, 100), TicketSales(4_000, 10)],
        income=[10_000],
        expenses=[
            ExpenseLine(ExpenseStanding.APPROVED, 30_000, 28_000),
            ExpenseLine(ExpenseStanding.APPROVED, 5_000),
            ExpenseLine(ExpenseStanding.PENDING, 7_000),
            ExpenseLine(ExpenseStanding.REJECTED, 99_000),
        ],
        deals=[deal],
    )
    assert (result.ticket_gross, result.other_income) == (290_000, 10_000)
    assert (result.approved_expenses, result.pending_expenses) == (33_000, 7_000)
    assert result.net == 267_000
    assert [(p.offer_id, p.amount) for p in result.payouts] == [(deal.offer_id, 186_900)]
    assert result.promoter_result == 267_000 - 186_900


@given(
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**4)), max_size=20),
    st.lists(st.integers(0, 10**7), max_size=20),
    st.lists(st.tuples(st.sampled_from(list(ExpenseStanding)), st.integers(0, 10**7)), max_size=20),
)
def test_totals_add_up_whatever_the_lines(
    tickets: list[tuple[int, int]], income: list[int], expenses: list[tuple[ExpenseStanding, int]]
) -> None:
    result = settle(
        event_id=EVENT,
        currency="EUR",
        tickets=[TicketSales(price, sold) for price, sold in tickets],
        income=income,
        expenses=[ExpenseLine(standing, amount) for standing, amount in expenses],
        deals=[],
    )
    assert result.ticket_gross >= 0
    assert result.pending_expenses >= 0
    assert result.net == result.ticket_gross + result.other_income - result.approved_expenses
    assert result.promoter_result == result.net
