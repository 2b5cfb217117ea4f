"""Routes of the venue backend (served under ``/api``); each declares its permission beside it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, post, put
from litestar.params import JSONBody, QueryParameter

from kisum.adapters.http.common.enforcement import Access, requires
from kisum.adapters.http.common.params import PageLimit, PageNumber, PathId
from kisum.adapters.http.venue import schemas as s
from kisum.application.business.venue.commands import (
    CreateHold,
    CreateHoldHandler,
    DeleteHold,
    DeleteHoldHandler,
    UpdateHold,
    UpdateHoldHandler,
)
from kisum.application.business.venue.queries import (
    GetCalendar,
    GetCalendarHandler,
    GetHold,
    GetHoldHandler,
    ListHolds,
    ListHoldsHandler,
)
from kisum.domain.business.venue import HoldType
from kisum.domain.paging import PageRequest

VenueFilter = Annotated[UUID | None, QueryParameter(name="venueId")]

VIEW = requires("venue.hold.view", "See venue calendar holds")
CREATE = requires("venue.hold.create", "Place holds on venue calendars")
EDIT = requires("venue.hold.edit", "Edit and confirm venue calendar holds")
DELETE = requires("venue.hold.delete", "Release venue calendar holds")


class HoldController(Controller):
    path = "/venue/holds"
    tags = ["venue"]

    @get("/", opt=VIEW)
    async def list_holds(
        self,
        access: Access,
        handler: FromDishka[ListHoldsHandler],
        page: PageNumber = 1,
        limit: PageLimit = 20,
        venue_id: VenueFilter = None,
        hold_type: Annotated[HoldType | None, QueryParameter(name="holdType")] = None,
    ) -> s.HoldPage:
        result = await handler(ListHolds(access.company_id, PageRequest(page, limit), venue_id, hold_type))
        items = [s.HoldOut.of(hold) for hold in result.items]
        return s.HoldPage(items=items, page=result.page, limit=result.limit, total=result.total)

    @get("/{hold_id:uuid}", opt=VIEW)
    async def get_hold(self, access: Access, handler: FromDishka[GetHoldHandler], hold_id: PathId) -> s.HoldOut:
        return s.HoldOut.of(await handler(GetHold(access.company_id, hold_id)))

    @post("/", opt=CREATE)
    async def create_hold(
        self, access: Access, handler: FromDishka[CreateHoldHandler], data: JSONBody[s.HoldBody]
    ) -> s.HoldOut:
        hold = await handler(
            CreateHold(
                company_id=access.company_id,
                venue_id=data.venue_id,
                starts_at=data.starts_at,
                ends_at=data.ends_at,
                hold_type=data.hold_type,
                note=data.note,
            )
        )
        return s.HoldOut.of(hold)

    @put("/{hold_id:uuid}", opt=EDIT)
    async def update_hold(
        self, access: Access, handler: FromDishka[UpdateHoldHandler], hold_id: PathId, data: JSONBody[s.HoldChangesBody]
    ) -> s.HoldOut:
        hold = await handler(
            UpdateHold(
                company_id=access.company_id,
                hold_id=hold_id,
                venue_id=s.keep(data.venue_id),
                starts_at=s.keep(data.starts_at),
                ends_at=s.keep(data.ends_at),
                hold_type=s.keep(data.hold_type),
                note=s.keep(data.note),
            )
        )
        return s.HoldOut.of(hold)

    @delete("/{hold_id:uuid}", opt=DELETE)
    async def delete_hold(self, access: Access, handler: FromDishka[DeleteHoldHandler], hold_id: PathId) -> None:
        await handler(DeleteHold(access.company_id, hold_id))


class CalendarController(Controller):
    path = "/venue/calendar"
    tags = ["venue"]

    @get("/", opt=VIEW)
    async def get_calendar(
        self,
        access: Access,
        handler: FromDishka[GetCalendarHandler],
        starts_at: Annotated[datetime, QueryParameter(name="from", description="start of the range, with offset")],
        ends_at: Annotated[datetime, QueryParameter(name="to", description="end of the range (exclusive)")],
        venue_id: VenueFilter = None,
    ) -> s.CalendarOut:
        return s.CalendarOut.of(await handler(GetCalendar(access.company_id, starts_at, ends_at, venue_id)))


ROUTE_HANDLERS = [HoldController, CalendarController]
