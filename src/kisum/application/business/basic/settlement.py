"""The settlement of an event, computed on request: one read per table of only the fields the
domain's ``settle`` needs (no record is built for a line), then ``settle``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast
from uuid import UUID

from kisum.application.business.basic.ports import BasicUnitOfWork
from kisum.domain.business.booking import OfferStatus
from kisum.domain.business.errors import RecordNotFound
from kisum.domain.business.records import ExpenseStatus, ResourceKind
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
    """Five reads (the event's currency, tickets, income, expenses, accepted offers), whatever the
    number of lines; no record is built and no ORM session is opened."""

    def __init__(self, uow: BasicUnitOfWork) -> None:
        self.uow = uow

    async def __call__(self, query: GetSettlement) -> Settlement:
        company, event_id = query.company_id, query.event_id
        async with self.uow.reading():
            found = await self.uow.records(ResourceKind.EVENT, company).values_where({"id": event_id}, ("currency",))
            if not found:
                raise RecordNotFound(ResourceKind.EVENT.value)
            of_event = {"event_id": event_id}
            tickets = await self.uow.records(ResourceKind.TICKET, company).values_where(of_event, ("price", "sold"))
            income = await self.uow.records(ResourceKind.INCOME, company).values_where(of_event, ("amount",))
            expenses = await self.uow.records(ResourceKind.EXPENSE, company).values_where(
                of_event, ("status", "estimated_amount", "actual_amount")
            )
            offers = await self.uow.records(ResourceKind.OFFER, company).values_where(
                {"event_id": event_id, "status": OfferStatus.ACCEPTED.value},
                ("id", "artist_id", "deal_type", "guarantee", "percentage", "split_point"),
            )
        return settle(
            event_id=event_id,
            currency=cast("str | None", found[0][0]),
            tickets=[TicketSales(*cast(tuple[int, int], row)) for row in tickets],
            income=[cast(int, row[0]) for row in income],
            expenses=[
                ExpenseLine(_STANDING[ExpenseStatus(str(status))], cast(int, estimated), cast("int | None", actual))
                for status, estimated, actual in expenses
            ],
            deals=[OfferDeal(*cast(tuple[UUID, UUID, str, int, "int | None", "int | None"], row)) for row in offers],
        )
