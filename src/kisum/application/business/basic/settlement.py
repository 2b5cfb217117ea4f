"""The settlement of an event, computed on request: one read per table, then the domain's ``settle``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast
from uuid import UUID

from kisum.application.business.basic.ports import BasicUnitOfWork
from kisum.domain.business.booking import OfferStatus
from kisum.domain.business.records import Event, Expense, ExpenseStatus, IncomeLine, Offer, ResourceKind, TicketTier
from kisum.domain.business.settlement import (
    ExpenseLine,
    ExpenseStanding,
    OfferDeal,
    Settlement,
    TicketSales,
    settle,
)

_STANDING = {
    ExpenseStatus.ESTIMATED: ExpenseStanding.PENDING,
    ExpenseStatus.SUBMITTED: ExpenseStanding.PENDING,
    ExpenseStatus.APPROVED: ExpenseStanding.APPROVED,
    ExpenseStatus.REJECTED: ExpenseStanding.REJECTED,
}


@dataclass(frozen=True, slots=True)
class GetSettlement:
    company_id: UUID
    event_id: UUID


class GetSettlementHandler:
    """Five reads (event, tickets, income, expenses, accepted offers), whatever the number of lines."""

    def __init__(self, uow: BasicUnitOfWork) -> None:
        self.uow = uow

    async def __call__(self, query: GetSettlement) -> Settlement:
        company, event_id = query.company_id, query.event_id
        async with self.uow.reading():
            event = cast(Event, await self.uow.records(ResourceKind.EVENT, company).get(event_id))
            of_event = {"event_id": event_id}
            tickets = await self.uow.records(ResourceKind.TICKET, company).all_where(of_event)
            income = await self.uow.records(ResourceKind.INCOME, company).all_where(of_event)
            expenses = await self.uow.records(ResourceKind.EXPENSE, company).all_where(of_event)
            offers = await self.uow.records(ResourceKind.OFFER, company).all_where(
                {"event_id": event_id, "status": OfferStatus.ACCEPTED.value}
            )
        return settle(
            event_id=event.id,
            currency=event.currency,
            tickets=[TicketSales(t.price, t.sold) for t in cast(list[TicketTier], tickets)],
            income=[line.amount for line in cast(list[IncomeLine], income)],
            expenses=[
                ExpenseLine(_STANDING[ExpenseStatus(e.status)], e.estimated_amount, e.actual_amount)
                for e in cast(list[Expense], expenses)
            ],
            deals=[
                OfferDeal(o.id, o.artist_id, o.deal_type, o.guarantee, o.percentage, o.split_point)
                for o in cast(list[Offer], offers)
            ],
        )
