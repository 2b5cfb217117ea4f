"""Routes of the Base backend (served under ``/api``); each declares its permission beside it.

Every declared resource gets its CRUD controller from ``resources.derive_controller``; here are
only the routes with behaviour of their own: file upload and download, the dashboard, the
company's business details.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Response, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body as BodyParam
from litestar.params import FromPath, JSONBody

from kisum.adapters.http.basic import schemas as s
from kisum.adapters.http.basic.booking import BOOKING_CONTROLLERS
from kisum.adapters.http.basic.resources import STRUCTS, derive_controller, values_of
from kisum.adapters.http.common.enforcement import Access, requires
from kisum.application.business.basic.commands import (
    UpdateCompanyProfile,
    UpdateCompanyProfileHandler,
    UploadFileHandler,
)
from kisum.application.business.basic.commands import UploadFile as UploadFileCommand
from kisum.application.business.basic.queries import (
    GetCompanyProfile,
    GetCompanyProfileHandler,
    GetDashboard,
    GetDashboardHandler,
    GetFileContent,
    GetFileContentHandler,
)
from kisum.domain.business.errors import FieldInvalid
from kisum.domain.business.records import RECORD_TYPES, CompanyProfile, ResourceKind

MULTIPART = BodyParam(media_type=RequestEncodingType.MULTI_PART)
FILES = RECORD_TYPES[ResourceKind.FILE].DECLARATION
FileOut = STRUCTS[ResourceKind.FILE].out


class FileController(derive_controller(ResourceKind.FILE)):  # type: ignore[misc]
    """Files: the derived list, get, rename and delete, plus upload and download.

    The app subclasses this with ``request_max_body_size`` from the settings."""

    @post("/upload", opt=requires("basic.file.create", FILES.description("create")))
    async def upload_file(
        self,
        access: Access,
        handler: FromDishka[UploadFileHandler],
        data: Annotated[dict[str, Any], MULTIPART],
    ) -> FileOut:  # type: ignore[valid-type]
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
        return STRUCTS[ResourceKind.FILE].out_of(stored)  # type: ignore[no-any-return]

    @get("/{record_id:uuid}/content", opt=requires("basic.file.view", FILES.description("view")))
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


class DashboardController(Controller):
    path = "/dashboard"
    tags = ["dashboard"]

    @get("/", opt=requires("basic.dashboard.view", "See the dashboard"))
    async def dashboard(self, access: Access, handler: FromDishka[GetDashboardHandler]) -> s.DashboardOut:
        result = await handler(GetDashboard(company_id=access.company_id))
        return s.DashboardOut(counts=s.DashboardCounts(**result.counts), upcoming_events=result.upcoming_events)

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
    ) -> s.CompanyProfileOut:  # type: ignore[valid-type]
        return _profile_out(await handler(GetCompanyProfile(access.company_id)))  # type: ignore[no-any-return]

    @put("/current", opt=requires("basic.company.edit", "Edit the company's business details"))
    async def update_current_company(
        self,
        access: Access,
        handler: FromDishka[UpdateCompanyProfileHandler],
        data: JSONBody[s.CompanyProfileChangesBody],  # type: ignore[valid-type]
    ) -> s.CompanyProfileOut:  # type: ignore[valid-type]
        changes = UpdateCompanyProfile(access.company_id, values_of(data))
        return _profile_out(await handler(changes))  # type: ignore[no-any-return]


def _profile_out(profile: CompanyProfile) -> Any:
    fields = {name: getattr(profile, name) for name in s.CompanyProfileOut.__struct_fields__ if name != "id"}
    return s.CompanyProfileOut(id=profile.company_id, **fields)


ROUTE_HANDLERS: list[type[Controller]] = [
    DashboardController,
    *(
        BOOKING_CONTROLLERS.get(kind) or derive_controller(kind)
        for kind in RECORD_TYPES
        if kind is not ResourceKind.FILE
    ),
    FileController,
    CompanyController,
]
"""Read by the app and by ``business_permission_catalog()`` (auth seeds its catalog from these)."""
