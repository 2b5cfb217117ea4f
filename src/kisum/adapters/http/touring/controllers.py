"""Routes of the touring backend (served under ``/api``); each declares its permission beside it.

Tours use ``touring.tour.*``; the legs of a tour have their own ``touring.leg.*`` permissions, so
a tour manager can be allowed to route legs without renaming or deleting tours.
"""

from __future__ import annotations

from typing import Annotated

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, post, put
from litestar.params import JSONBody, QueryParameter

from kisum.adapters.http.common.enforcement import Access, requires
from kisum.adapters.http.common.params import PageLimit, PageNumber, PathId
from kisum.adapters.http.touring import schemas as s
from kisum.application.business.touring.commands import (
    AddLeg,
    AddLegHandler,
    CreateTour,
    CreateTourHandler,
    DeleteTour,
    DeleteTourHandler,
    RemoveLeg,
    RemoveLegHandler,
    UpdateLeg,
    UpdateLegHandler,
    UpdateTour,
    UpdateTourHandler,
)
from kisum.application.business.touring.queries import (
    GetLeg,
    GetLegHandler,
    GetTour,
    GetTourHandler,
    ListLegs,
    ListLegsHandler,
    ListTours,
    ListToursHandler,
)
from kisum.domain.business.touring import TourStatus
from kisum.domain.paging import PageRequest

TOUR_VIEW = requires("touring.tour.view", "See tours")
TOUR_CREATE = requires("touring.tour.create", "Create tours")
TOUR_EDIT = requires("touring.tour.edit", "Edit tours")
TOUR_DELETE = requires("touring.tour.delete", "Delete tours (with their legs)")
LEG_VIEW = requires("touring.leg.view", "See the legs of tours")
LEG_CREATE = requires("touring.leg.create", "Add legs to tours")
LEG_EDIT = requires("touring.leg.edit", "Edit the legs of tours")
LEG_DELETE = requires("touring.leg.delete", "Remove legs from tours")


class TourController(Controller):
    path = "/touring/tours"
    tags = ["touring"]

    @get("/", opt=TOUR_VIEW)
    async def list_tours(
        self,
        access: Access,
        handler: FromDishka[ListToursHandler],
        page: PageNumber = 1,
        limit: PageLimit = 20,
        status: Annotated[TourStatus | None, QueryParameter()] = None,
    ) -> s.TourPage:
        result = await handler(ListTours(access.company_id, PageRequest(page, limit), status))
        items = [s.TourSummaryOut.of(tour) for tour in result.items]
        return s.TourPage(items=items, page=result.page, limit=result.limit, total=result.total)

    @get("/{tour_id:uuid}", opt=TOUR_VIEW)
    async def get_tour(self, access: Access, handler: FromDishka[GetTourHandler], tour_id: PathId) -> s.TourOut:
        return s.TourOut.of(await handler(GetTour(access.company_id, tour_id)))

    @post("/", opt=TOUR_CREATE)
    async def create_tour(
        self, access: Access, handler: FromDishka[CreateTourHandler], data: JSONBody[s.TourBody]
    ) -> s.TourOut:
        tour = await handler(
            CreateTour(
                company_id=access.company_id,
                name=data.name,
                artist_id=data.artist_id,
                artist_name=data.artist_name,
                status=data.status,
            )
        )
        return s.TourOut.of(tour)

    @put("/{tour_id:uuid}", opt=TOUR_EDIT)
    async def update_tour(
        self, access: Access, handler: FromDishka[UpdateTourHandler], tour_id: PathId, data: JSONBody[s.TourChangesBody]
    ) -> s.TourOut:
        tour = await handler(
            UpdateTour(
                company_id=access.company_id,
                tour_id=tour_id,
                name=s.keep(data.name),
                artist_id=s.keep(data.artist_id),
                artist_name=s.keep(data.artist_name),
                status=s.keep(data.status),
            )
        )
        return s.TourOut.of(tour)

    @delete("/{tour_id:uuid}", opt=TOUR_DELETE)
    async def delete_tour(self, access: Access, handler: FromDishka[DeleteTourHandler], tour_id: PathId) -> None:
        await handler(DeleteTour(access.company_id, tour_id))


class LegController(Controller):
    path = "/touring/tours/{tour_id:uuid}/legs"
    tags = ["touring"]

    @get("/", opt=LEG_VIEW)
    async def list_legs(
        self,
        access: Access,
        handler: FromDishka[ListLegsHandler],
        tour_id: PathId,
        page: PageNumber = 1,
        limit: PageLimit = 20,
    ) -> s.LegPage:
        result = await handler(ListLegs(access.company_id, tour_id, PageRequest(page, limit)))
        items = [s.LegOut.of(leg) for leg in result.items]
        return s.LegPage(items=items, page=result.page, limit=result.limit, total=result.total)

    @get("/{leg_id:uuid}", opt=LEG_VIEW)
    async def get_leg(
        self, access: Access, handler: FromDishka[GetLegHandler], tour_id: PathId, leg_id: PathId
    ) -> s.LegOut:
        return s.LegOut.of(await handler(GetLeg(access.company_id, tour_id, leg_id)))

    @post("/", opt=LEG_CREATE)
    async def add_leg(
        self, access: Access, handler: FromDishka[AddLegHandler], tour_id: PathId, data: JSONBody[s.LegBody]
    ) -> s.LegOut:
        leg = await handler(
            AddLeg(access.company_id, tour_id, on=data.date, city=data.city, venue_name=data.venue_name)
        )
        return s.LegOut.of(leg)

    @put("/{leg_id:uuid}", opt=LEG_EDIT)
    async def update_leg(
        self,
        access: Access,
        handler: FromDishka[UpdateLegHandler],
        tour_id: PathId,
        leg_id: PathId,
        data: JSONBody[s.LegChangesBody],
    ) -> s.LegOut:
        leg = await handler(
            UpdateLeg(
                access.company_id,
                tour_id,
                leg_id,
                on=s.keep(data.date),
                city=s.keep(data.city),
                venue_name=s.keep(data.venue_name),
            )
        )
        return s.LegOut.of(leg)

    @delete("/{leg_id:uuid}", opt=LEG_DELETE)
    async def remove_leg(
        self, access: Access, handler: FromDishka[RemoveLegHandler], tour_id: PathId, leg_id: PathId
    ) -> None:
        await handler(RemoveLeg(access.company_id, tour_id, leg_id))


ROUTE_HANDLERS = [TourController, LegController]
