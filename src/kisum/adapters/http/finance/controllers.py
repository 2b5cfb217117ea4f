"""Routes of the finance backend (served under ``/api``); each declares its permission beside it."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, post, put
from litestar.params import JSONBody, QueryParameter

from kisum.adapters.http.common.enforcement import Access, requires
from kisum.adapters.http.common.params import PageLimit, PageNumber, PathId
from kisum.adapters.http.finance import schemas as s
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
from kisum.domain.business.finance import EntryKind
from kisum.domain.paging import PageRequest

VIEW = requires("finance.budget.view", "See event budget lines")
CREATE = requires("finance.budget.create", "Add event budget lines")
EDIT = requires("finance.budget.edit", "Edit event budget lines")
DELETE = requires("finance.budget.delete", "Delete event budget lines")
SETTLEMENT = requires("finance.settlement.view", "See the settlement (income, expenses, net) of an event")


class BudgetLineController(Controller):
    path = "/finance/budget-lines"
    tags = ["finance"]

    @get("/", opt=VIEW)
    async def list_budget_lines(
        self,
        access: Access,
        handler: FromDishka[ListBudgetLinesHandler],
        page: PageNumber = 1,
        limit: PageLimit = 20,
        event_id: Annotated[UUID | None, QueryParameter(name="eventId")] = None,
        kind: Annotated[EntryKind | None, QueryParameter()] = None,
    ) -> s.BudgetLinePage:
        result = await handler(ListBudgetLines(access.company_id, PageRequest(page, limit), event_id, kind))
        items = [s.BudgetLineOut.of(line) for line in result.items]
        return s.BudgetLinePage(items=items, page=result.page, limit=result.limit, total=result.total)

    @get("/{line_id:uuid}", opt=VIEW)
    async def get_budget_line(
        self, access: Access, handler: FromDishka[GetBudgetLineHandler], line_id: PathId
    ) -> s.BudgetLineOut:
        return s.BudgetLineOut.of(await handler(GetBudgetLine(access.company_id, line_id)))

    @post("/", opt=CREATE)
    async def create_budget_line(
        self, access: Access, handler: FromDishka[CreateBudgetLineHandler], data: JSONBody[s.BudgetLineBody]
    ) -> s.BudgetLineOut:
        line = await handler(
            CreateBudgetLine(
                company_id=access.company_id,
                event_id=data.event_id,
                kind=data.kind,
                category=data.category,
                amount_minor=data.amount_minor,
                currency=data.currency,
                description=data.description,
                on=data.date,
            )
        )
        return s.BudgetLineOut.of(line)

    @put("/{line_id:uuid}", opt=EDIT)
    async def update_budget_line(
        self,
        access: Access,
        handler: FromDishka[UpdateBudgetLineHandler],
        line_id: PathId,
        data: JSONBody[s.BudgetLineChangesBody],
    ) -> s.BudgetLineOut:
        line = await handler(
            UpdateBudgetLine(
                company_id=access.company_id,
                line_id=line_id,
                event_id=s.keep(data.event_id),
                kind=s.keep(data.kind),
                category=s.keep(data.category),
                description=s.keep(data.description),
                amount_minor=s.keep(data.amount_minor),
                currency=s.keep(data.currency),
                on=s.keep(data.date),
            )
        )
        return s.BudgetLineOut.of(line)

    @delete("/{line_id:uuid}", opt=DELETE)
    async def delete_budget_line(
        self, access: Access, handler: FromDishka[DeleteBudgetLineHandler], line_id: PathId
    ) -> None:
        await handler(DeleteBudgetLine(access.company_id, line_id))


class SettlementController(Controller):
    path = "/finance/events"
    tags = ["finance"]

    @get("/{event_id:uuid}/settlement", opt=SETTLEMENT)
    async def get_settlement(
        self, access: Access, handler: FromDishka[GetSettlementHandler], event_id: PathId
    ) -> s.SettlementOut:
        return s.SettlementOut.of(await handler(GetSettlement(access.company_id, event_id)))


ROUTE_HANDLERS = [BudgetLineController, SettlementController]
