"""The settlement of an event: computed from its lines whenever asked, never stored.

Ticket gross is the sum of price * sold; other income is added; approved expenses (their actual amount if
set, else the estimate) are deducted; expenses not decided yet (estimated or submitted) are summed
as ``pending`` and not deducted; rejected ones are ignored. Each accepted offer's payout comes from
its deal (rounded half-up once, in the deal), and the promoter keeps net minus the payouts. All integers
in minor units of the event's one currency, so nothing is rounded here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from kisum.domain.business.booking import artist_payout


class ExpenseStanding(StrEnum):
    """Where an expense stands for the settlement."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class TicketSales:
    price: int
    sold: int


@dataclass(frozen=True, slots=True)
class ExpenseLine:
    standing: ExpenseStanding
    estimated: int
    actual: int | None = None

    @property
    def cost(self) -> int:
        return self.estimated if self.actual is None else self.actual


class Deal(Protocol):
    """An accepted offer as the settlement sees it."""

    @property
    def offer_id(self) -> UUID: ...

    @property
    def artist_id(self) -> UUID: ...

    @property
    def deal_type(self) -> str: ...

    def payout(self, *, ticket_gross: int, net: int) -> int: ...


@dataclass(frozen=True, slots=True)
class OfferDeal:
    """An accepted offer's deal; its payout is ``booking.artist_payout`` (one rule for every deal type)."""

    offer_id: UUID
    artist_id: UUID
    deal_type: str
    guarantee: int
    percentage: int | None
    split_point: int | None

    def payout(self, *, ticket_gross: int, net: int) -> int:
        return artist_payout(
            self.deal_type,
            guarantee=self.guarantee,
            percentage=self.percentage,
            split_point=self.split_point,
            ticket_gross=ticket_gross,
            net=net,
        )


@dataclass(frozen=True, slots=True)
class Payout:
    offer_id: UUID
    artist_id: UUID
    deal_type: str
    amount: int


@dataclass(frozen=True, slots=True)
class Settlement:
    event_id: UUID
    currency: str | None
    ticket_gross: int
    other_income: int
    approved_expenses: int
    pending_expenses: int
    net: int
    payouts: tuple[Payout, ...]
    promoter_result: int


def settle(
    *,
    event_id: UUID,
    currency: str | None,
    tickets: Iterable[TicketSales],
    income: Iterable[int],
    expenses: Iterable[ExpenseLine],
    deals: Iterable[Deal],
) -> Settlement:
    """One pass over each kind of line: the cost grows linearly with the lines."""
    ticket_gross = sum(line.price * line.sold for line in tickets)
    other_income = sum(income)
    approved = pending = 0
    for expense in expenses:
        if expense.standing is ExpenseStanding.APPROVED:
            approved += expense.cost
        elif expense.standing is ExpenseStanding.PENDING:
            pending += expense.estimated
    net = ticket_gross + other_income - approved
    payouts = tuple(
        Payout(deal.offer_id, deal.artist_id, deal.deal_type, deal.payout(ticket_gross=ticket_gross, net=net))
        for deal in sorted(deals, key=lambda deal: str(deal.offer_id))
    )
    return Settlement(
        event_id=event_id,
        currency=currency,
        ticket_gross=ticket_gross,
        other_income=other_income,
        approved_expenses=approved,
        pending_expenses=pending,
        net=net,
        payouts=payouts,
        promoter_result=net - sum(payout.amount for payout in payouts),
    )
