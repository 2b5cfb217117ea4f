"""Routes of the Base backend (served under ``/api``); each declares its permission beside it.

Controllers are thin: decode, build the command or query with the caller's company (from the
enforcement kit's ``AccessContext``), await the handler, return an ``…Out``.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar
from urllib.parse import quote
from uuid import UUID

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Controller, Response, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body as BodyParam
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from kisum.adapters.http.basic import schemas as s
from kisum.adapters.http.common.enforcement import Access, AccessContext, requires
from kisum.adapters.http.common.params import PageLimit, PageNumber, Search
from kisum.application.business.commands import (
    CreateRecord,
    DeleteRecord,
    UpdateCompanyProfile,
    UpdateRecord,
)
from kisum.application.business.commands import (
    UploadFile as UploadFileCommand,
)
from kisum.application.business.handlers import (
    CreateRecordHandler,
    DeleteRecordHandler,
    GetCompanyProfileHandler,
    GetDashboardHandler,
    GetFileContentHandler,
    GetRecordHandler,
    ListRecordsHandler,
    UpdateCompanyProfileHandler,
    UpdateRecordHandler,
    UploadFileHandler,
)
from kisum.application.business.ports import Page
from kisum.application.business.queries import (
    GetCompanyProfile,
    GetDashboard,
    GetFileContent,
    GetRecord,
    ListRecords,
)
from kisum.domain.business.errors import FieldInvalid
from kisum.domain.business.records import EventWindow, ResourceKind, TenantRecord

ListHandler = FromDishka[ListRecordsHandler]
GetHandler = FromDishka[GetRecordHandler]
CreateHandler = FromDishka[CreateRecordHandler]
UpdateHandler = FromDishka[UpdateRecordHandler]
DeleteHandler = FromDishka[DeleteRecordHandler]

P = TypeVar("P", bound=msgspec.Struct)


def page_out(result: Page[TenantRecord], page_type: type[P]) -> P:
    return msgspec.convert(
        {"items": result.items, "page": result.page, "limit": result.limit, "total": result.total},
        page_type,
        from_attributes=True,
    )


def listing(
    kind: ResourceKind, access: AccessContext, page: int, limit: int, q: str | None, **filters: Any
) -> ListRecords:
    return ListRecords(kind=kind, company_id=access.company_id, page=page, limit=limit, search=q, filters=filters)


class ArtistController(Controller):
    path = "/artists"
    tags = ["artists"]

    @get("/", opt=requires("basic.artist.view", "See artists"))
    async def list_artists(
        self,
        access: Access,
        handler: ListHandler,
        page: PageNumber = 1,
        limit: PageLimit = 20,
        q: Search = None,
        genre: FromQuery[str | None] = None,
    ) -> s.ArtistPage:
        return page_out(await handler(listing(ResourceKind.ARTIST, access, page, limit, q, genre=genre)), s.ArtistPage)

    @get("/{record_id:uuid}", opt=requires("basic.artist.view", "See artists"))
    async def get_artist(self, access: Access, handler: GetHandler, record_id: FromPath[UUID]) -> s.ArtistOut:
        record = await handler(GetRecord(ResourceKind.ARTIST, access.company_id, record_id))
        return s.out_of(record, s.ArtistOut)

    @post("/", opt=requires("basic.artist.create", "Create artists"))
    async def create_artist(self, access: Access, handler: CreateHandler, data: JSONBody[s.ArtistBody]) -> s.ArtistOut:
        record = await handler(CreateRecord(ResourceKind.ARTIST, access.company_id, s.values_of(data)))
        return s.out_of(record, s.ArtistOut)

    @put("/{record_id:uuid}", opt=requires("basic.artist.edit", "Edit artists"))
    async def update_artist(
        self, access: Access, handler: UpdateHandler, record_id: FromPath[UUID], data: JSONBody[s.ArtistChangesBody]
    ) -> s.ArtistOut:
        record = await handler(UpdateRecord(ResourceKind.ARTIST, access.company_id, record_id, s.values_of(data)))
        return s.out_of(record, s.ArtistOut)

    @delete("/{record_id:uuid}", opt=requires("basic.artist.delete", "Delete artists"))
    async def delete_artist(self, access: Access, handler: DeleteHandler, record_id: FromPath[UUID]) -> None:
        await handler(DeleteRecord(ResourceKind.ARTIST, access.company_id, record_id))


class VenueController(Controller):
    path = "/venues"
    tags = ["venues"]

    @get("/", opt=requires("basic.venue.view", "See venues"))
    async def list_venues(
        self,
        access: Access,
        handler: ListHandler,
        page: PageNumber = 1,
        limit: PageLimit = 20,
        q: Search = None,
        city: FromQuery[str | None] = None,
        country: FromQuery[str | None] = None,
    ) -> s.VenuePage:
        query = listing(ResourceKind.VENUE, access, page, limit, q, city=city, country=country and country.upper())
        return page_out(await handler(query), s.VenuePage)

    @get("/{record_id:uuid}", opt=requires("basic.venue.view", "See venues"))
    async def get_venue(self, access: Access, handler: GetHandler, record_id: FromPath[UUID]) -> s.VenueOut:
        return s.out_of(await handler(GetRecord(ResourceKind.VENUE, access.company_id, record_id)), s.VenueOut)

    @post("/", opt=requires("basic.venue.create", "Create venues"))
    async def create_venue(self, access: Access, handler: CreateHandler, data: JSONBody[s.VenueBody]) -> s.VenueOut:
        record = await handler(CreateRecord(ResourceKind.VENUE, access.company_id, s.values_of(data)))
        return s.out_of(record, s.VenueOut)

    @put("/{record_id:uuid}", opt=requires("basic.venue.edit", "Edit venues"))
    async def update_venue(
        self, access: Access, handler: UpdateHandler, record_id: FromPath[UUID], data: JSONBody[s.VenueChangesBody]
    ) -> s.VenueOut:
        record = await handler(UpdateRecord(ResourceKind.VENUE, access.company_id, record_id, s.values_of(data)))
        return s.out_of(record, s.VenueOut)

    @delete("/{record_id:uuid}", opt=requires("basic.venue.delete", "Delete venues"))
    async def delete_venue(self, access: Access, handler: DeleteHandler, record_id: FromPath[UUID]) -> None:
        await handler(DeleteRecord(ResourceKind.VENUE, access.company_id, record_id))


class VendorController(Controller):
    path = "/vendors"
    tags = ["vendors"]

    @get("/", opt=requires("basic.vendor.view", "See vendors"))
    async def list_vendors(
        self,
        access: Access,
        handler: ListHandler,
        page: PageNumber = 1,
        limit: PageLimit = 20,
        q: Search = None,
        category: FromQuery[str | None] = None,
    ) -> s.VendorPage:
        query = listing(ResourceKind.VENDOR, access, page, limit, q, category=category)
        return page_out(await handler(query), s.VendorPage)

    @get("/{record_id:uuid}", opt=requires("basic.vendor.view", "See vendors"))
    async def get_vendor(self, access: Access, handler: GetHandler, record_id: FromPath[UUID]) -> s.VendorOut:
        return s.out_of(await handler(GetRecord(ResourceKind.VENDOR, access.company_id, record_id)), s.VendorOut)

    @post("/", opt=requires("basic.vendor.create", "Create vendors"))
    async def create_vendor(self, access: Access, handler: CreateHandler, data: JSONBody[s.VendorBody]) -> s.VendorOut:
        record = await handler(CreateRecord(ResourceKind.VENDOR, access.company_id, s.values_of(data)))
        return s.out_of(record, s.VendorOut)

    @put("/{record_id:uuid}", opt=requires("basic.vendor.edit", "Edit vendors"))
    async def update_vendor(
        self, access: Access, handler: UpdateHandler, record_id: FromPath[UUID], data: JSONBody[s.VendorChangesBody]
    ) -> s.VendorOut:
        record = await handler(UpdateRecord(ResourceKind.VENDOR, access.company_id, record_id, s.values_of(data)))
        return s.out_of(record, s.VendorOut)

    @delete("/{record_id:uuid}", opt=requires("basic.vendor.delete", "Delete vendors"))
    async def delete_vendor(self, access: Access, handler: DeleteHandler, record_id: FromPath[UUID]) -> None:
        await handler(DeleteRecord(ResourceKind.VENDOR, access.company_id, record_id))


class AgencyController(Controller):
    path = "/agencies"
    tags = ["agencies"]

    @get("/", opt=requires("basic.agency.view", "See agencies"))
    async def list_agencies(
        self, access: Access, handler: ListHandler, page: PageNumber = 1, limit: PageLimit = 20, q: Search = None
    ) -> s.AgencyPage:
        return page_out(await handler(listing(ResourceKind.AGENCY, access, page, limit, q)), s.AgencyPage)

    @get("/{record_id:uuid}", opt=requires("basic.agency.view", "See agencies"))
    async def get_agency(self, access: Access, handler: GetHandler, record_id: FromPath[UUID]) -> s.AgencyOut:
        return s.out_of(await handler(GetRecord(ResourceKind.AGENCY, access.company_id, record_id)), s.AgencyOut)

    @post("/", opt=requires("basic.agency.create", "Create agencies"))
    async def create_agency(self, access: Access, handler: CreateHandler, data: JSONBody[s.AgencyBody]) -> s.AgencyOut:
        record = await handler(CreateRecord(ResourceKind.AGENCY, access.company_id, s.values_of(data)))
        return s.out_of(record, s.AgencyOut)

    @put("/{record_id:uuid}", opt=requires("basic.agency.edit", "Edit agencies"))
    async def update_agency(
        self, access: Access, handler: UpdateHandler, record_id: FromPath[UUID], data: JSONBody[s.AgencyChangesBody]
    ) -> s.AgencyOut:
        record = await handler(UpdateRecord(ResourceKind.AGENCY, access.company_id, record_id, s.values_of(data)))
        return s.out_of(record, s.AgencyOut)

    @delete("/{record_id:uuid}", opt=requires("basic.agency.delete", "Delete agencies"))
    async def delete_agency(self, access: Access, handler: DeleteHandler, record_id: FromPath[UUID]) -> None:
        await handler(DeleteRecord(ResourceKind.AGENCY, access.company_id, record_id))


class EventController(Controller):
    path = "/events"
    tags = ["events"]

    @get("/", opt=requires("basic.event.view", "See events"))
    async def list_events(
        self,
        access: Access,
        handler: ListHandler,
        window: Annotated[EventWindow, QueryParameter(name="type")] = EventWindow.ALL,
        page: PageNumber = 1,
        limit: PageLimit = 20,
        q: Search = None,
        venue_id: Annotated[UUID | None, QueryParameter(name="venueId")] = None,
        artist_id: Annotated[UUID | None, QueryParameter(name="artistId")] = None,
        status: FromQuery[str | None] = None,
    ) -> s.EventPage:
        query = ListRecords(
            kind=ResourceKind.EVENT,
            company_id=access.company_id,
            page=page,
            limit=limit,
            search=q,
            filters={"venue_id": venue_id, "artist_id": artist_id, "status": status},
            window=window,
        )
        return page_out(await handler(query), s.EventPage)

    @get("/{record_id:uuid}", opt=requires("basic.event.view", "See events"))
    async def get_event(self, access: Access, handler: GetHandler, record_id: FromPath[UUID]) -> s.EventOut:
        return s.out_of(await handler(GetRecord(ResourceKind.EVENT, access.company_id, record_id)), s.EventOut)

    @post("/", opt=requires("basic.event.create", "Create events"))
    async def create_event(self, access: Access, handler: CreateHandler, data: JSONBody[s.EventBody]) -> s.EventOut:
        record = await handler(CreateRecord(ResourceKind.EVENT, access.company_id, s.values_of(data)))
        return s.out_of(record, s.EventOut)

    @put("/{record_id:uuid}", opt=requires("basic.event.edit", "Edit events"))
    async def update_event(
        self, access: Access, handler: UpdateHandler, record_id: FromPath[UUID], data: JSONBody[s.EventChangesBody]
    ) -> s.EventOut:
        record = await handler(UpdateRecord(ResourceKind.EVENT, access.company_id, record_id, s.values_of(data)))
        return s.out_of(record, s.EventOut)

    @delete("/{record_id:uuid}", opt=requires("basic.event.delete", "Delete events"))
    async def delete_event(self, access: Access, handler: DeleteHandler, record_id: FromPath[UUID]) -> None:
        await handler(DeleteRecord(ResourceKind.EVENT, access.company_id, record_id))


class TaskController(Controller):
    path = "/tasks"
    tags = ["tasks"]

    @get("/", opt=requires("basic.task.view", "See tasks"))
    async def list_tasks(
        self,
        access: Access,
        handler: ListHandler,
        page: PageNumber = 1,
        limit: PageLimit = 20,
        q: Search = None,
        done: FromQuery[bool | None] = None,
        assignee_user_id: Annotated[UUID | None, QueryParameter(name="assigneeUserId")] = None,
    ) -> s.TaskPage:
        query = listing(ResourceKind.TASK, access, page, limit, q, done=done, assignee_user_id=assignee_user_id)
        return page_out(await handler(query), s.TaskPage)

    @get("/{record_id:uuid}", opt=requires("basic.task.view", "See tasks"))
    async def get_task(self, access: Access, handler: GetHandler, record_id: FromPath[UUID]) -> s.TaskOut:
        return s.out_of(await handler(GetRecord(ResourceKind.TASK, access.company_id, record_id)), s.TaskOut)

    @post("/", opt=requires("basic.task.create", "Create tasks"))
    async def create_task(self, access: Access, handler: CreateHandler, data: JSONBody[s.TaskBody]) -> s.TaskOut:
        record = await handler(CreateRecord(ResourceKind.TASK, access.company_id, s.values_of(data)))
        return s.out_of(record, s.TaskOut)

    @put("/{record_id:uuid}", opt=requires("basic.task.edit", "Edit tasks"))
    async def update_task(
        self, access: Access, handler: UpdateHandler, record_id: FromPath[UUID], data: JSONBody[s.TaskChangesBody]
    ) -> s.TaskOut:
        record = await handler(UpdateRecord(ResourceKind.TASK, access.company_id, record_id, s.values_of(data)))
        return s.out_of(record, s.TaskOut)

    @delete("/{record_id:uuid}", opt=requires("basic.task.delete", "Delete tasks"))
    async def delete_task(self, access: Access, handler: DeleteHandler, record_id: FromPath[UUID]) -> None:
        await handler(DeleteRecord(ResourceKind.TASK, access.company_id, record_id))


MULTIPART = BodyParam(media_type=RequestEncodingType.MULTI_PART)


class FileController(Controller):
    """Uploads: the app subclasses this with ``request_max_body_size`` from the settings."""

    path = "/files"
    tags = ["files"]

    @post("/upload", opt=requires("basic.file.create", "Upload files"))
    async def upload_file(
        self,
        access: Access,
        handler: FromDishka[UploadFileHandler],
        data: Annotated[dict[str, Any], MULTIPART],
    ) -> s.FileOut:
        upload = data.get("file")
        if not isinstance(upload, UploadFile):
            raise FieldInvalid("file", "is required (multipart form field 'file')")
        content = await upload.read()
        stored = await handler(
            UploadFileCommand(
                company_id=access.company_id,
                uploaded_by=access.user_id,
                file_name=upload.filename,
                content_type=upload.content_type or "",
                content=content,
            )
        )
        return s.out_of(stored, s.FileOut)

    @get("/", opt=requires("basic.file.view", "See and download files"))
    async def list_files(
        self,
        access: Access,
        handler: ListHandler,
        page: PageNumber = 1,
        limit: PageLimit = 20,
        q: Search = None,
        content_type: Annotated[str | None, QueryParameter(name="contentType")] = None,
    ) -> s.FilePage:
        query = listing(ResourceKind.FILE, access, page, limit, q, content_type=content_type)
        return page_out(await handler(query), s.FilePage)

    @get("/{record_id:uuid}", opt=requires("basic.file.view", "See and download files"))
    async def get_file(self, access: Access, handler: GetHandler, record_id: FromPath[UUID]) -> s.FileOut:
        return s.out_of(await handler(GetRecord(ResourceKind.FILE, access.company_id, record_id)), s.FileOut)

    @get("/{record_id:uuid}/content", opt=requires("basic.file.view", "See and download files"))
    async def download_file(
        self, access: Access, handler: FromDishka[GetFileContentHandler], record_id: FromPath[UUID]
    ) -> Response[bytes]:
        stored, content = await handler(GetFileContent(access.company_id, record_id))
        return Response(
            content=content,
            media_type=stored.content_type,
            headers={
                "content-disposition": f"attachment; filename*=UTF-8''{quote(stored.name, safe='')}",
                "x-content-type-options": "nosniff",
                "cache-control": "private, no-store",
            },
        )

    @put("/{record_id:uuid}", opt=requires("basic.file.edit", "Rename files"))
    async def update_file(
        self, access: Access, handler: UpdateHandler, record_id: FromPath[UUID], data: JSONBody[s.FileChangesBody]
    ) -> s.FileOut:
        record = await handler(UpdateRecord(ResourceKind.FILE, access.company_id, record_id, s.values_of(data)))
        return s.out_of(record, s.FileOut)

    @delete("/{record_id:uuid}", opt=requires("basic.file.delete", "Delete files"))
    async def delete_file(self, access: Access, handler: DeleteHandler, record_id: FromPath[UUID]) -> None:
        await handler(DeleteRecord(ResourceKind.FILE, access.company_id, record_id))


class DashboardController(Controller):
    path = "/dashboard"
    tags = ["dashboard"]

    @get("/", opt=requires("basic.dashboard.view", "See the dashboard"))
    async def dashboard(self, access: Access, handler: FromDishka[GetDashboardHandler]) -> s.DashboardOut:
        result = await handler(GetDashboard(company_id=access.company_id))
        return s.DashboardOut(
            counts=s.DashboardCounts(**result.counts),
            upcoming_events=[s.out_of(event, s.EventOut) for event in result.upcoming_events],
        )

    @get("/me", opt=requires("basic.dashboard.view", "See the dashboard"))
    async def my_access(self, access: Access) -> s.MyAccessOut:
        """What the caller may do in this company, so a client can show only the actions it allows."""
        return s.MyAccessOut(
            user_id=access.user_id,
            company_id=access.company_id,
            membership_id=access.membership_id,
            role=access.role,
            modules=sorted(access.modules),
            permissions=sorted(access.permissions),
        )


class CompanyController(Controller):
    path = "/companies"
    tags = ["companies"]

    @get("/current", opt=requires("basic.company.view", "See the company's business details"))
    async def current_company(
        self, access: Access, handler: FromDishka[GetCompanyProfileHandler]
    ) -> s.CompanyProfileOut:
        return _profile_out(await handler(GetCompanyProfile(access.company_id)))

    @put("/current", opt=requires("basic.company.edit", "Edit the company's business details"))
    async def update_current_company(
        self,
        access: Access,
        handler: FromDishka[UpdateCompanyProfileHandler],
        data: JSONBody[s.CompanyProfileChangesBody],
    ) -> s.CompanyProfileOut:
        return _profile_out(await handler(UpdateCompanyProfile(access.company_id, s.values_of(data))))


def _profile_out(profile: Any) -> s.CompanyProfileOut:
    fields = {name: getattr(profile, name) for name in s.CompanyProfileOut.__struct_fields__ if name != "id"}
    return s.CompanyProfileOut(id=profile.company_id, **fields)


ROUTE_HANDLERS = [
    DashboardController,
    ArtistController,
    EventController,
    AgencyController,
    VendorController,
    VenueController,
    TaskController,
    FileController,
    CompanyController,
]
"""Read by the app and by ``business_permission_catalog()`` (auth seeds its catalog from these)."""
