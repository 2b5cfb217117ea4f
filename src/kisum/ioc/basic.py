"""The Base backend's composition root: its providers (unit of work, file storage, use cases) and ``create_app``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import Provider, Scope, provide
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.http.basic.app import BACKEND
from kisum.adapters.http.basic.resources import STRUCTS
from kisum.adapters.persistence.basic.notifications import NoAccountingExporter
from kisum.adapters.persistence.basic.uow import SqlBasicUnitOfWork
from kisum.adapters.persistence.read_pool import ReadPool
from kisum.adapters.storage.local_disk import LocalDiskStorage
from kisum.application.business.basic.booking import (
    ActOnAgreementHandler,
    ActOnOfferHandler,
    CreateAgreementHandler,
    CreateOfferHandler,
    GetAgreementHandler,
    ListOfferVersionsHandler,
    ReleaseAvailHandler,
    UpdateAgreementHandler,
    UpdateOfferHandler,
)
from kisum.application.business.basic.commands import (
    CreateRecordHandler,
    DeleteRecordHandler,
    UpdateCompanyProfileHandler,
    UpdateRecordHandler,
    UploadFileHandler,
)
from kisum.application.business.basic.ledger import (
    DecideApprovalHandler,
    ListNotificationsHandler,
    MarkAllNotificationsReadHandler,
    MarkNotificationReadHandler,
    SubmitExpenseHandler,
)
from kisum.application.business.basic.ports import AccountingExporter, BasicUnitOfWork, FileStorage
from kisum.application.business.basic.queries import (
    GetCompanyProfileHandler,
    GetDashboardHandler,
    GetFileContentHandler,
    GetRecordHandler,
    ListRecordsHandler,
)
from kisum.application.business.basic.settlement import GetSettlementHandler
from kisum.config import Role, Settings
from kisum.domain.business.records import FilePolicy
from kisum.ioc.business import create_business_app

LIST_VIEWS = {kind: structs.out for kind, structs in STRUCTS.items()}
"""Lists read rows straight into each resource's ``…Out`` Struct."""


class BasicProvider(Provider):
    @provide(scope=Scope.APP)
    def storage(self, settings: Settings) -> FileStorage:
        return LocalDiskStorage(settings.data_dir / "files" / "basic")

    @provide(scope=Scope.APP)
    def file_policy(self, settings: Settings) -> FilePolicy:
        return FilePolicy(
            max_bytes=settings.file_max_bytes,
            allowed_types=frozenset(kind.lower() for kind in settings.file_allowed_types),
        )

    @provide(scope=Scope.APP)
    async def read_pool(self, settings: Settings) -> AsyncIterator[ReadPool | None]:
        pool = ReadPool.for_url(settings.database_url_of(Role.BASIC), Role.BASIC.value)
        yield pool
        if pool is not None:
            await pool.close()

    @provide(scope=Scope.REQUEST)
    async def uow(
        self, session_factory: async_sessionmaker[AsyncSession], reader: ReadPool | None
    ) -> AsyncIterator[BasicUnitOfWork]:
        uow = SqlBasicUnitOfWork(session_factory, views=LIST_VIEWS, reader=reader)
        try:
            yield uow
        finally:  # never commits: only a handler's explicit commit() is durable
            await uow.close()

    create = provide(CreateRecordHandler, scope=Scope.REQUEST)
    update = provide(UpdateRecordHandler, scope=Scope.REQUEST)
    remove = provide(DeleteRecordHandler, scope=Scope.REQUEST)
    get_one = provide(GetRecordHandler, scope=Scope.REQUEST)
    list_many = provide(ListRecordsHandler, scope=Scope.REQUEST)
    dashboard = provide(GetDashboardHandler, scope=Scope.REQUEST)
    upload = provide(UploadFileHandler, scope=Scope.REQUEST)
    download = provide(GetFileContentHandler, scope=Scope.REQUEST)
    profile = provide(GetCompanyProfileHandler, scope=Scope.REQUEST)
    update_profile = provide(UpdateCompanyProfileHandler, scope=Scope.REQUEST)
    create_offer = provide(CreateOfferHandler, scope=Scope.REQUEST)
    update_offer = provide(UpdateOfferHandler, scope=Scope.REQUEST)
    act_on_offer = provide(ActOnOfferHandler, scope=Scope.REQUEST)
    offer_versions = provide(ListOfferVersionsHandler, scope=Scope.REQUEST)
    release_avail = provide(ReleaseAvailHandler, scope=Scope.REQUEST)
    create_agreement = provide(CreateAgreementHandler, scope=Scope.REQUEST)
    update_agreement = provide(UpdateAgreementHandler, scope=Scope.REQUEST)
    act_on_agreement = provide(ActOnAgreementHandler, scope=Scope.REQUEST)
    get_agreement = provide(GetAgreementHandler, scope=Scope.REQUEST)
    settlement = provide(GetSettlementHandler, scope=Scope.REQUEST)
    submit_expense = provide(SubmitExpenseHandler, scope=Scope.REQUEST)
    decide_approval = provide(DecideApprovalHandler, scope=Scope.REQUEST)
    list_notifications = provide(ListNotificationsHandler, scope=Scope.REQUEST)
    read_notification = provide(MarkNotificationReadHandler, scope=Scope.REQUEST)
    read_all_notifications = provide(MarkAllNotificationsReadHandler, scope=Scope.REQUEST)

    @provide(scope=Scope.APP)
    def accounting_exporter(self) -> AccountingExporter:
        """No accounting system yet: the outbox fills and nothing is sent (Xero comes later)."""
        return NoAccountingExporter()


def create_app(settings: Settings | None = None, *, auth_http: httpx.AsyncClient | None = None) -> Litestar:
    """The basic backend's app (``kisum serve basic``); ``auth_http`` reaches auth in tests."""
    return create_business_app(BACKEND, settings, providers=[BasicProvider()], auth_http=auth_http)
