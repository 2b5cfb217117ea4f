"""Routes of the Base backend (served under ``/api``); each declares its permission beside it.

Every declared resource gets its CRUD controller from ``resources.derive_controller``; here are
only the routes with behaviour of their own: file upload and download, the dashboard, the
company's business details.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body as BodyParam
from litestar.params import FromPath, JSONBody, QueryParameter

from kisum.adapters.http.basic import schemas as s
from kisum.adapters.http.basic.booking import BOOKING_CONTROLLERS
from kisum.adapters.http.basic.resources import STRUCTS, derive_controller, values_of
from kisum.adapters.http.common.enforcement import Access, requires
from kisum.adapters.http.common.params import PageLimit, PageNumber
from kisum.application.business.basic.commands import (
    UpdateCompanyProfile,
    UpdateCompanyProfileHandler,
    UploadFileHandler,
)
from kisum.application.business.basic.commands import UploadFile as UploadFileCommand
from kisum.application.business.basic.ledger import (
    DecideApproval,
    DecideApprovalHandler,
    DecideExpense,
    ListNotifications,
    ListNotificationsHandler,
    MarkAllNotificationsRead,
    MarkAllNotificationsReadHandler,
    MarkNotificationRead,
    MarkNotificationReadHandler,
    SubmitExpense,
    SubmitExpenseHandler,
)
from kisum.application.business.basic.ports import Reader
from kisum.application.business.basic.queries import (
    GetCompanyProfile,
    GetCompanyProfileHandler,
    GetDashboard,
    GetDashboardHandler,
    GetFileContent,
    GetFileContentHandler,
)
from kisum.application.business.basic.settlement import GetSettlement, GetSettlementHandler
from kisum.domain.business.errors import FieldInvalid
from kisum.domain.business.notifications import NotificationItem
from kisum.domain.business.records import RECORD_TYPES, ApprovalAction, CompanyProfile, ResourceKind
from kisum.domain.errors import FieldIssue

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


class SettlementController(Controller):
    path = "/events/{event_id:uuid}/settlement"
    tags = ["settlement"]

    @get("/", opt=requires("basic.settlement.view", "See an event's settlement"))
    async def settlement(
        self, access: Access, handler: FromDishka[GetSettlementHandler], event_id: FromPath[UUID]
    ) -> s.SettlementOut:
        """Ticket gross, other income, approved (deducted) and pending (not deducted) expenses, net,
        each accepted offer's payout by its deal (half-up once per payout) and the promoter's result."""
        result = await handler(GetSettlement(access.company_id, event_id))
        return msgspec.convert(result, s.SettlementOut, from_attributes=True)


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
    fields["display_name"] = profile.shown_display_name
    return s.CompanyProfileOut(id=profile.company_id, **fields)


# --- Expenses, approvals, notifications -----------------------------------------------------------

EXPENSES = RECORD_TYPES[ResourceKind.EXPENSE].DECLARATION
ExpenseOut = STRUCTS[ResourceKind.EXPENSE].out
ApprovalOut = STRUCTS[ResourceKind.APPROVAL].out
SUBMIT = requires("basic.expense.submit", "Submit expenses for approval")
APPROVE_EXPENSE = requires("basic.expense.approve", "Approve or reject expenses (never one's own)")
DECIDE = requires("basic.approval.decide", "Approve or reject requests (never one's own)")


def _reason(data: s.RejectBody) -> str:
    reason = data.reason.strip()
    if not reason:
        raise FieldInvalid("reason", "must not be empty")
    return reason[:1000]


class ExpenseController(derive_controller(ResourceKind.EXPENSE)):  # type: ignore[misc]
    """An event's expenses: the derived CRUD, plus submit (estimated → submitted) and the decision
    of its pending approval from the expense's own path."""

    @post("/{record_id:uuid}/submit", opt=SUBMIT, status_code=200)
    async def submit_expense(
        self,
        access: Access,
        handler: FromDishka[SubmitExpenseHandler],
        event_id: FromPath[UUID],
        record_id: FromPath[UUID],
    ) -> ExpenseOut:  # type: ignore[valid-type]
        expense, _ = await handler(SubmitExpense(access.company_id, event_id, record_id, access.user_id))
        return STRUCTS[ResourceKind.EXPENSE].out_of(expense)  # type: ignore[no-any-return]

    @post("/{record_id:uuid}/approve", opt=APPROVE_EXPENSE, status_code=200)
    async def approve_expense(
        self,
        access: Access,
        handler: FromDishka[DecideApprovalHandler],
        event_id: FromPath[UUID],
        record_id: FromPath[UUID],
        data: JSONBody[s.ApproveBody | None] = None,
    ) -> ApprovalOut:  # type: ignore[valid-type]
        reason = None if data is None else data.reason
        command = DecideExpense(access.company_id, event_id, record_id, access.user_id, ApprovalAction.APPROVE, reason)
        return STRUCTS[ResourceKind.APPROVAL].out_of(await handler(command))  # type: ignore[no-any-return]

    @post("/{record_id:uuid}/reject", opt=APPROVE_EXPENSE, status_code=200)
    async def reject_expense(
        self,
        access: Access,
        handler: FromDishka[DecideApprovalHandler],
        event_id: FromPath[UUID],
        record_id: FromPath[UUID],
        data: JSONBody[s.RejectBody],
    ) -> ApprovalOut:  # type: ignore[valid-type]
        action = ApprovalAction.REJECT
        command = DecideExpense(access.company_id, event_id, record_id, access.user_id, action, _reason(data))
        return STRUCTS[ResourceKind.APPROVAL].out_of(await handler(command))  # type: ignore[no-any-return]


class ApprovalController(derive_controller(ResourceKind.APPROVAL)):  # type: ignore[misc]
    """The approval inbox: the derived list (``?status=pending|approved|rejected``) and get, plus the decisions."""

    @post("/{record_id:uuid}/approve", opt=DECIDE, status_code=200)
    async def approve(
        self,
        access: Access,
        handler: FromDishka[DecideApprovalHandler],
        record_id: FromPath[UUID],
        data: JSONBody[s.ApproveBody | None] = None,
    ) -> ApprovalOut:  # type: ignore[valid-type]
        reason = None if data is None else data.reason
        command = DecideApproval(access.company_id, record_id, access.user_id, ApprovalAction.APPROVE, reason)
        return STRUCTS[ResourceKind.APPROVAL].out_of(await handler(command))  # type: ignore[no-any-return]

    @post("/{record_id:uuid}/reject", opt=DECIDE, status_code=200)
    async def reject(
        self,
        access: Access,
        handler: FromDishka[DecideApprovalHandler],
        record_id: FromPath[UUID],
        data: JSONBody[s.RejectBody],
    ) -> ApprovalOut:  # type: ignore[valid-type]
        command = DecideApproval(access.company_id, record_id, access.user_id, ApprovalAction.REJECT, _reason(data))
        return STRUCTS[ResourceKind.APPROVAL].out_of(await handler(command))  # type: ignore[no-any-return]


NOTIFICATIONS = requires("basic.notification.view", "See one's own notifications and mark them read")
_NOTIFICATION_PARAMETERS = frozenset({"page", "limit", "sort", "unread"})


def _reader(access: Any) -> Reader:
    return Reader(access.user_id, access.permissions)


def _notification_out(item: NotificationItem) -> s.NotificationOut:
    subject = s.SubjectOut(kind=item.subject.kind, id=item.subject.id)
    return s.NotificationOut(
        id=item.id, kind=item.kind, subject=subject, text=item.text, created_at=item.created_at, read_at=item.read_at
    )


class NotificationController(Controller):
    """The caller's own feed in this company; nobody sees or reads another user's notifications."""

    path = "/notifications"
    tags = ["notifications"]

    @get("/", opt=NOTIFICATIONS)
    async def list_notifications(
        self,
        access: Access,
        handler: FromDishka[ListNotificationsHandler],
        request: Request[Any, Any, Any],
        page: PageNumber = 1,
        limit: PageLimit = 20,
        sort: Annotated[str | None, QueryParameter(max_length=20)] = None,
        unread: Annotated[bool, QueryParameter(description="only the unread ones")] = False,
    ) -> s.NotificationPage:
        unknown = sorted(set(request.query_params) - _NOTIFICATION_PARAMETERS)
        if unknown:
            raise FieldInvalid.of(FieldIssue(name, "is not a parameter of this list") for name in unknown)
        query = ListNotifications(access.company_id, _reader(access), unread, sort, page, limit)
        result = await handler(query)
        items = [_notification_out(item) for item in result.items]
        return s.NotificationPage(items=items, page=result.page, limit=result.limit, total=result.total)

    @post("/{notification_id:uuid}/read", opt=NOTIFICATIONS, status_code=200)
    async def read_notification(
        self, access: Access, handler: FromDishka[MarkNotificationReadHandler], notification_id: FromPath[UUID]
    ) -> s.NotificationOut:
        item = await handler(MarkNotificationRead(access.company_id, _reader(access), notification_id))
        return _notification_out(item)

    @post("/read-all", opt=NOTIFICATIONS, status_code=200)
    async def read_all_notifications(
        self, access: Access, handler: FromDishka[MarkAllNotificationsReadHandler]
    ) -> s.ReadAllOut:
        return s.ReadAllOut(marked=await handler(MarkAllNotificationsRead(access.company_id, _reader(access))))


_EXTENDED = {ResourceKind.FILE, ResourceKind.EXPENSE, ResourceKind.APPROVAL}

ROUTE_HANDLERS: list[type[Controller]] = [
    DashboardController,
    *(BOOKING_CONTROLLERS.get(kind) or derive_controller(kind) for kind in RECORD_TYPES if kind not in _EXTENDED),
    FileController,
    ExpenseController,
    ApprovalController,
    NotificationController,
    SettlementController,
    CompanyController,
]
"""Read by the app and by ``business_permission_catalog()`` (auth seeds its catalog from these)."""
